import type { ErrorDetail } from '../../../common/errors/domain-error.js';
import { ValidateDetailed } from '../../../common/http/detailed-constraint.js';
import { textProblem } from '../../../common/http/text-rules.js';
import { parseRecipient } from '../outbound.rules.js';

export const MAX_RECIPIENT_NAME = 256;
const MAX_DETAILS = 20;
const SHAPE = 'must be an email address or {email, name?}';
const FIELDS = new Set(['email', 'name']);

/** A list of recipients: each an address string or `{email: string, name?: string}`. */
export const IsRecipientList = (): PropertyDecorator =>
  ValidateDetailed('isRecipientList', recipientListProblems);

/** What is wrong with each element, by relative path (`[2].name`); arrays only. */
export function recipientListProblems(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  const details: ErrorDetail[] = [];
  for (let i = 0; i < value.length && details.length < MAX_DETAILS; i += 1) {
    details.push(...recipientProblems(value[i], `[${i}]`));
  }
  return details;
}

function recipientProblems(item: unknown, at: string): ErrorDetail[] {
  if (typeof item === 'string') return addressProblems(item, at, at);
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return [{ field: at, message: SHAPE }];
  }
  const fields = item as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !FIELDS.has(key));
  return [
    ...unknown.map((key) => ({ field: `${at}.${key}`, message: 'is not allowed' })),
    ...addressProblems(fields.email, `${at}.email`, at),
    ...nameProblems(fields.name, `${at}.name`),
  ];
}

/** Wrong types and characters name the field itself; a malformed address, the recipient. */
function addressProblems(email: unknown, at: string, recipient: string): ErrorDetail[] {
  if (typeof email !== 'string') return [{ field: at, message: 'must be a string' }];
  const problem = textProblem(email, 'header');
  if (problem) return [{ field: at, message: problem }];
  return parseRecipient(email) ? [] : [{ field: recipient, message: SHAPE }];
}

/** A name is optional (null counts as left out), a single line of at most 256 characters. */
function nameProblems(name: unknown, at: string): ErrorDetail[] {
  if (name === undefined || name === null) return [];
  if (typeof name !== 'string') return [{ field: at, message: 'must be a string' }];
  if (name.length > MAX_RECIPIENT_NAME) {
    return [{ field: at, message: `must be at most ${MAX_RECIPIENT_NAME} characters` }];
  }
  const problem = textProblem(name, 'header');
  return problem ? [{ field: at, message: problem }] : [];
}

/**
 * Which characters a string taken from a request may hold. PostgreSQL refuses NUL in text and
 * jsonb, mail headers must not be split by CR/LF, and an unpaired UTF-16 surrogate is not
 * Unicode at all (it cannot be stored or encoded as UTF-8).
 *
 * - `line`: no C0 control character (TAB, LF and CR included) and no DEL — the default for
 *   every string of a request;
 * - `free`: TAB, LF and CR allowed — free text such as a message body;
 * - `header`: `line`, and no NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR either — values that
 *   end up in a mail header (names, subjects, addresses).
 */
export type TextKind = 'line' | 'free' | 'header';

export const TEXT_MESSAGES: Record<TextKind | 'surrogate', string> = {
  line: 'must not contain control characters, tabs or line breaks',
  free: 'must not contain control characters other than tabs and line breaks',
  header: 'must be a single line without control characters',
  surrogate: 'must be valid Unicode (no unpaired surrogates)',
};

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;
const HEADER_BREAKS = new Set([0x85, 0x2028, 0x2029]);

/** Why `value` is not acceptable text of this kind, or undefined when it is. */
export function textProblem(value: string, kind: TextKind): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (isHighSurrogate(code) && isLowSurrogate(value.charCodeAt(i + 1))) {
      i += 1;
    } else if (isHighSurrogate(code) || isLowSurrogate(code)) {
      return TEXT_MESSAGES.surrogate;
    } else if (forbidden(code, kind)) {
      return TEXT_MESSAGES[kind];
    }
  }
  return undefined;
}

function forbidden(code: number, kind: TextKind): boolean {
  if (code === DEL) return true;
  if (code < 0x20) return kind !== 'free' || (code !== TAB && code !== LF && code !== CR);
  return kind === 'header' && HEADER_BREAKS.has(code);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

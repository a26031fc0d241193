import type { NextFunction, Request, Response } from 'express';
import { sendGraphError } from '../http/graph-error.js';

/** A Graph error answer; handlers throw it, the router's error handler renders it. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';

export const errors = {
  badRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  invalidRequest: (message: string) => new GraphError(400, 'InvalidRequest', message),
  /** Directory (Entra ID) resources: users. */
  directoryDenied: () =>
    new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    ),
  /** Exchange resources: messages, sendMail. */
  accessDenied: () => new GraphError(403, 'ErrorAccessDenied', ACCESS_DENIED),
  userNotFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  invalidUser: (id: string) =>
    new GraphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`),
  mailboxNotEnabled: () =>
    new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    ),
  /** App-only access to a mailbox an Exchange application access policy keeps the app from. */
  blockedByAccessPolicy: () =>
    new GraphError(
      403,
      'ErrorAccessDenied',
      'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
    ),
  itemNotFound: () =>
    new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  meNeedsDelegated: () =>
    new GraphError(
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    ),
  sendAsDenied: () =>
    new GraphError(
      403,
      'ErrorSendAsDenied',
      'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.',
    ),
  unsupportedQuery: (message: string) => new GraphError(400, 'Request_UnsupportedQuery', message),
  notFound: (message: string) => new GraphError(404, 'ResourceNotFound', message),
};

/** Express error handler of the Graph router: GraphError → Graph body, anything else → 500. */
export function graphErrorHandler(
  err: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) return next(err);
  if (err instanceof GraphError) {
    sendGraphError(res, err.status, err.code, err.message, err.headers);
    return;
  }
  const parserError = bodyParserError(err);
  if (parserError === 'entity.too.large') {
    sendGraphError(res, 413, 'RequestEntityTooLarge', 'The request payload is too large.');
    return;
  }
  if (parserError) {
    sendGraphError(
      res,
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
    return;
  }
  sendGraphError(res, 500, 'InternalServerError', 'An internal server error occurred.');
}

/** The `type` body-parser gives its errors (`entity.parse.failed`, `entity.too.large`…). */
function bodyParserError(err: unknown): string | null {
  const type = (err as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('entity.') ? type : null;
}

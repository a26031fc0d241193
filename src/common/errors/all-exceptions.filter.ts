import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../http/request-id.js';
import { renderError } from './render-error.js';

/** The one place errors become HTTP responses (design §4 error body). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<Request>(), http.getResponse<Response>(), this.logger);
  }
}

export function sendError(error: unknown, req: Request, res: Response, logger: Logger): void {
  const rendered = renderError(error);
  const requestId = requestIdOf(req);
  if (rendered.unexpected) {
    logger.error({ err: error, requestId, method: req.method, path: req.path }, 'unhandled error');
  }
  if (res.headersSent) return;
  res.status(rendered.status).json({ ...rendered.body, requestId });
}

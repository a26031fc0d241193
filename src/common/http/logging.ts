import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import { requestIdOf } from './request-id.js';

/**
 * Structured JSON logs with the request id. Only the path is logged (query strings carry OAuth
 * codes, state and validation tokens); credentials headers are never serialized.
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    customProps: (req: IncomingMessage) => ({ requestId: requestIdOf(req) }),
    serializers: {
      req: (req: { method?: string; url?: string }) => ({
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: ServerResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    redact: {
      paths: ['*.authorization', '*.cookie', '*.token', '*.accessToken', '*.refreshToken'],
      censor: '[redacted]',
    },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => {
      if (err || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

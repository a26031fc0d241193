import { Logger as NestLogger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module.js';
import type { AppConfig } from './common/config/app-config.js';
import { AllExceptionsFilter, sendError } from './common/errors/all-exceptions.filter.js';
import { RequestValidationPipe } from './common/http/request-validation.pipe.js';
import { requestIdMiddleware, requestIdOf } from './common/http/request-id.js';
import { completeDocument } from './openapi/openapi-document.js';

/**
 * Builds the HTTP application exactly as production runs it. Tests use this too; they may add
 * modules of their own or capture logs (AppOptions), never replace ours.
 */
export async function createApp(
  config: AppConfig,
  options: AppOptions | Type[] = {},
): Promise<INestApplication> {
  const appOptions = Array.isArray(options) ? { extraModules: options } : options;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, appOptions),
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestIdMiddleware);
  app.use(helmet());
  app.use(cookieParser());
  app.enableCors({ origin: config.frontendUrls, credentials: true, maxAge: 600 });
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  const bodyLogger = new NestLogger('HttpError');
  // Body-parser failures happen before Nest's router (and its request logging), so they need
  // an Express error handler that also logs them.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    sendError(err, req, res, bodyLogger);
    bodyLogger.warn(
      {
        requestId: requestIdOf(req),
        method: req.method,
        path: req.path,
        statusCode: res.statusCode,
      },
      'request body rejected',
    );
  });
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setUpOpenApi(app);
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const document = new DocumentBuilder()
    .setTitle('ScendCore Microsoft 365 connector')
    .setDescription('Email Setup backend: Microsoft 365 mailboxes, identities and sending.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const create = () => completeDocument(SwaggerModule.createDocument(app, document));
  SwaggerModule.setup('docs', app, create, {
    jsonDocumentUrl: 'docs-json',
  });
}

import { Injectable } from '@nestjs/common';
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  type Context,
  type GraphRequest,
  type Middleware,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { AppConfig } from '../config/app-config.js';
import type { GraphHttpInit } from './graph-http-response.js';
import { MicrosoftHttp } from './microsoft-http.js';

/** What callers get: Graph requests on the configured host, each carrying its caller's token. */
export interface GraphApi {
  api(path: string): GraphRequest;
}

/** Retries of 429/503/504 when the caller does not say. */
const DEFAULT_RETRIES = 2;

/**
 * The SDK's last middleware calls the global fetch, which cannot use our undici Agent (extra
 * CA, pooling) and costs more CPU per call: the final hop goes through MicrosoftHttp instead,
 * answering with what the SDK reads of a Response. The SDK's retry handler still honours
 * Retry-After on 429/503/504.
 */
class MicrosoftFetchHandler implements Middleware {
  constructor(private readonly http: MicrosoftHttp) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const response = await this.http.graphRequest(url, context.options as GraphHttpInit);
    context.response = response as unknown as Response;
  }
}

/**
 * The shared chain's own provider. Every request names its token in its own middleware options;
 * one that lost them (a caller replacing the request's middleware options) must fail rather than
 * go out without a token, or with anyone else's.
 */
const NO_SHARED_TOKEN = {
  getAccessToken: (): Promise<string> =>
    Promise.reject(new Error('Graph request without its own token (middleware options replaced)')),
};

/**
 * Graph requests on the configured Graph host (national clouds, the sandbox). One SDK client
 * and middleware chain serve the whole process: building them per call cost CPU on every item
 * of a sweep. What differs per call (the token, the retry count) travels with each request as
 * its middleware options, which the SDK reads from the request's own context, so concurrent
 * requests never see each other's token. The handlers keep no per-request state.
 */
@Injectable()
export class GraphClientFactory {
  private readonly client: Client;

  constructor(config: AppConfig, http: MicrosoftHttp) {
    const baseUrl = config.microsoft.graphBaseUrl;
    this.client = Client.initWithMiddleware({
      baseUrl,
      customHosts: new Set([new URL(baseUrl).hostname]),
      middleware: [
        new AuthenticationHandler(NO_SHARED_TOKEN),
        new RetryHandler(new RetryHandlerOptions(1, DEFAULT_RETRIES)),
        new RedirectHandler(new RedirectHandlerOptions()),
        new TelemetryHandler(),
        new MicrosoftFetchHandler(http),
      ],
    });
  }

  /**
   * `retries`: how often the SDK retries 429/503/504 in place (honouring Retry-After, else
   * backing off from 1 s). Use 0 for calls that are not idempotent (sendMail) and for jobs
   * that reschedule failed work themselves.
   */
  forToken(getAccessToken: () => Promise<string>, options: { retries?: number } = {}): GraphApi {
    const perRequest = [
      new AuthenticationHandlerOptions({ getAccessToken }),
      new RetryHandlerOptions(1, options.retries ?? DEFAULT_RETRIES),
    ];
    return { api: (path) => this.client.api(path).middlewareOptions(perRequest) };
  }
}

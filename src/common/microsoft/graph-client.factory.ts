import { Injectable } from '@nestjs/common';
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { RequestInit } from 'undici';
import { AppConfig } from '../config/app-config.js';
import { MicrosoftHttp } from './microsoft-http.js';

/**
 * The SDK's last middleware calls the global fetch, which cannot use our undici Agent (extra
 * CA, pooling): the final hop goes through MicrosoftHttp instead. The SDK's retry handler
 * still honours Retry-After on 429/503/504.
 */
class MicrosoftFetchHandler implements Middleware {
  constructor(private readonly http: MicrosoftHttp) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const response = await this.http.fetch(url, context.options as RequestInit);
    context.response = response as unknown as Response;
  }
}

/** Builds Graph SDK clients on the configured Graph host (national clouds, the sandbox). */
@Injectable()
export class GraphClientFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly http: MicrosoftHttp,
  ) {}

  /**
   * `retries`: how often the SDK retries 429/503/504 in place (honouring Retry-After, else
   * backing off from 1 s). Use 0 for calls that are not idempotent (sendMail) and for jobs
   * that reschedule failed work themselves.
   */
  forToken(getAccessToken: () => Promise<string>, options: { retries?: number } = {}): Client {
    const chain: Middleware[] = [
      new AuthenticationHandler({ getAccessToken }),
      new RetryHandler(new RetryHandlerOptions(1, options.retries ?? 2)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new MicrosoftFetchHandler(this.http),
    ];
    return Client.initWithMiddleware({
      baseUrl: this.config.microsoft.graphBaseUrl,
      customHosts: new Set([new URL(this.config.microsoft.graphBaseUrl).hostname]),
      middleware: chain,
    });
  }
}

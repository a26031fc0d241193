import { createSecureContext, rootCertificates } from 'node:tls';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  Agent,
  type Dispatcher,
  fetch as undiciFetch,
  request,
  type RequestInit,
  type Response,
} from 'undici';
import { AppConfig } from '../config/app-config.js';
import { type GraphHttpInit, GraphHttpResponse, requestHeaders } from './graph-http-response.js';

const TIMEOUT_MS = 30_000;

/** The answer of `MicrosoftHttp.post`: what the token endpoint's callers read of it. */
export interface PlainResponse {
  status: number;
  ok: boolean;
  /** A header's value, or null (several values joined with `, `, as fetch does). */
  header(name: string): string | null;
  /** The body as JSON; rejects when it is not JSON. */
  json(): Promise<unknown>;
}

/**
 * HTTPS to the identity platform and Graph. Trusts the public roots plus, when configured,
 * an extra CA (MICROSOFT_EXTRA_CA_FILE or the sandbox emulator's), only for these calls.
 */
@Injectable()
export class MicrosoftHttp implements OnModuleDestroy {
  readonly dispatcher: Agent;

  constructor(config: AppConfig) {
    // One TLS context for every connection: given `ca` instead, each new connection parsed the
    // whole root store again (several ms of CPU per connection, a sweep opens dozens).
    const secureContext = config.microsoft.caPem
      ? createSecureContext({ ca: [...rootCertificates, config.microsoft.caPem] })
      : undefined;
    this.dispatcher = new Agent({
      connect: secureContext ? { secureContext } : {},
      connections: 64,
      keepAliveTimeout: 30_000,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
  }

  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    return undiciFetch(url, { ...init, dispatcher: this.dispatcher });
  }

  /**
   * A form POST without the WHATWG fetch machinery (Request and Response objects, web streams),
   * whose per-call CPU was a large share of a token refresh sweep. Redirects are not followed:
   * the token endpoint answers directly.
   */
  async post(url: string, headers: Record<string, string>, body: string): Promise<PlainResponse> {
    const res = await request(url, { method: 'POST', headers, body, dispatcher: this.dispatcher });
    return {
      status: res.statusCode,
      ok: res.statusCode >= 200 && res.statusCode < 300,
      header: (name) => {
        const value = res.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : (value ?? null);
      },
      json: () => res.body.json(),
    };
  }

  /**
   * The Graph SDK's last hop, without fetch's per-call machinery (see GraphHttpResponse).
   * Redirects are the SDK's to follow, as with fetch (it asks for them not to be). No answer
   * rejects as fetch does: a TypeError 'fetch failed' with the cause.
   */
  async graphRequest(url: string, init: GraphHttpInit): Promise<GraphHttpResponse> {
    try {
      const answer = await request(url, {
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: requestHeaders(init.headers),
        body: init.body ?? undefined,
        signal: init.signal ?? undefined,
        dispatcher: this.dispatcher,
      });
      return new GraphHttpResponse(answer);
    } catch (error) {
      throw new TypeError('fetch failed', { cause: error });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }
}

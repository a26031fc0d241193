import { rootCertificates } from 'node:tls';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, fetch as undiciFetch, request, type RequestInit, type Response } from 'undici';
import { AppConfig } from '../config/app-config.js';

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
    const ca = config.microsoft.caPem ? [...rootCertificates, config.microsoft.caPem] : undefined;
    this.dispatcher = new Agent({
      connect: ca ? { ca } : {},
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

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }
}

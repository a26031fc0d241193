import { rootCertificates } from 'node:tls';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { AppConfig } from '../config/app-config.js';

const TIMEOUT_MS = 30_000;

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

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }
}

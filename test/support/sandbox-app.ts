import type { INestApplication } from '@nestjs/common';
import { request } from 'undici';
import { createApp } from '../../src/app.factory.js';
import type { AppOptions } from '../../src/app.module.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { startSandboxForService } from '../../src/sandbox/service-wiring.js';
import { EmulatorHttp, type HttpResult } from '../sandbox/support/https.js';
import { decide, pickAccount } from '../sandbox/support/flow.js';
import { freePort } from '../sandbox/support/ports.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface SandboxApp {
  app: INestApplication;
  db: TestDatabase;
  emulator: M365Emulator;
  /** http://127.0.0.1:<port> of the service. */
  baseUrl: string;
  /** HTTPS client for the emulator's pages (trusts its CA). */
  ms: EmulatorHttp;
  close(): Promise<void>;
}

/**
 * The service exactly as `npm start` runs it in sandbox mode — listening on a real port, with
 * the Microsoft 365 emulator wired in — on a private test database.
 */
export async function createSandboxApp(
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<SandboxApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = await createTestDatabase({ PUBLIC_URL: baseUrl, ...env });
  const { emulator, config } = await startSandboxForService(db.config);
  const app = await createApp(config, options);
  await app.listen(port, '127.0.0.1');
  const ms = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
  return {
    app,
    db,
    emulator,
    baseUrl,
    ms,
    close: async () => {
      await app.close();
      await ms.close();
      await emulator.close();
      await db.drop();
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** A plain HTTP call to the service (no redirects followed). */
export async function call(
  t: SandboxApp,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    cookie?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('http') ? path : `${t.baseUrl}${path}`;
  const res = await request(url, {
    method: method as 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body,
    json: <T>() => JSON.parse(body) as T,
  };
}

export async function sandboxToken(
  t: SandboxApp,
  userId = 'u-1',
  workspaceId = 'ws-1',
): Promise<string> {
  const res = await call(t, 'POST', '/v1/sandbox/token', { body: { userId, workspaceId } });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.body}`);
  return res.json<{ token: string }>().token;
}

export interface ConnectRun {
  /** Where the service finally sent the browser (the frontend URL with its query). */
  landed: URL;
  /** The emulator's sign-in page, consent page etc. along the way. */
  pages: HttpResult[];
}

/**
 * The Connect journey over HTTP: POST connect → our authorize hop → Microsoft sign-in page →
 * pick the account → consent (Accept or Cancel) → our callback → redirect to the frontend.
 */
export async function connectJourney(
  t: SandboxApp,
  token: string,
  msUserId: string,
  options: {
    decision?: 'accept' | 'cancel';
    returnTo?: string;
    /** Runs when Microsoft has redirected back, before the browser reaches our callback. */
    beforeCallback?: (callbackUrl: string) => Promise<void>;
    /** Another browser's cookies for the callback (default: this browser's). */
    callbackCookie?: string;
    /** Another browser's cookies for the authorize hop (default: this browser's). */
    hopCookie?: string;
    loginHint?: string;
  } = {},
): Promise<ConnectRun & { callbackUrl?: string; cookie: string }> {
  const start = await call(t, 'POST', '/v1/microsoft/connect', {
    token,
    body: {
      ...(options.returnTo ? { returnTo: options.returnTo } : {}),
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    },
  });
  if (start.status !== 200) throw new Error(`connect: ${start.status} ${start.body}`);
  // The browser that called connect holds the binding cookie from now on.
  const cookie = cookiesOf(start.headers['set-cookie']);
  const hop = await call(t, 'GET', start.json<{ authorizationUrl: string }>().authorizationUrl, {
    cookie: options.hopCookie ?? cookie,
  });
  const location = String(hop.headers.location);
  if (!location.startsWith(t.emulator.baseUrl)) {
    return { landed: new URL(location), pages: [], cookie };
  }
  const signIn = await t.ms.get(location);
  let next = await pickAccount(t.ms, signIn, msUserId);
  const pages = [signIn, next];
  if (next.status === 200 && next.text.includes('id="consent-form"')) {
    next = await decide(t.ms, next, options.decision ?? 'accept');
  }
  const callbackUrl = next.headers.location;
  await options.beforeCallback?.(callbackUrl);
  const back = await call(t, 'GET', callbackUrl, { cookie: options.callbackCookie ?? cookie });
  return { landed: new URL(String(back.headers.location)), pages, callbackUrl, cookie };
}

export function cookiesOf(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return all.map((c) => c.split(';')[0]).join('; ');
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startM365Emulator,
  type M365Emulator,
  type M365EmulatorOptions,
} from '../../../src/sandbox/emulator.js';
import { CONTOSO_TENANT_ID, SANDBOX_APP } from '../../../src/sandbox/seed.js';
import { redeemCode, signInForCode } from './flow.js';
import { EmulatorHttp, type HttpResult } from './https.js';

/** Delegated scopes the Mail tests use unless a test narrows them. */
export const MAIL_SCOPES = ['openid', 'offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];

/** A started emulator with an HTTPS client that trusts it. */
export interface GraphWorld {
  emulator: M365Emulator;
  http: EmulatorHttp;
  close(): Promise<void>;
}

export async function startGraphWorld(options: M365EmulatorOptions = {}): Promise<GraphWorld> {
  const emulator = await startM365Emulator(options);
  const http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
  return {
    emulator,
    http,
    close: async () => {
      await http.close();
      await emulator.close();
    },
  };
}

/**
 * A delegated Graph token for the user with exactly `scopes`, through the real authorize + code
 * redemption. Entra ID puts every scope the user ever consented to in the token, so the user's
 * earlier consent to the app is withdrawn first.
 */
export async function userToken(
  world: GraphWorld,
  userId: string,
  scopes: string[] = MAIL_SCOPES,
): Promise<string> {
  const { http } = world;
  world.emulator.store.grants.revokeUserConsent(userId, SANDBOX_APP.clientId);
  const params = await signInForCode(http, userId, { scope: scopes.join(' ') });
  const code = params.get('code');
  if (!code) throw new Error(`No code: ${params.toString()}`);
  const token = await redeemCode(http, code);
  return String(token.json().access_token);
}

/**
 * An app-only token (client credentials) after an admin granted the app's application
 * permissions (`roles`, default all of them) tenant-wide. No delegated scopes are consented,
 * so user tokens keep exactly the scopes their tests ask for.
 */
export async function appToken(
  world: GraphWorld,
  tenantId = CONTOSO_TENANT_ID,
  roles?: string[],
): Promise<string> {
  if (roles) world.emulator.control.revokeAdminConsent(tenantId, SANDBOX_APP.clientId);
  world.emulator.control.grantAdminConsent(tenantId, SANDBOX_APP.clientId, roles, []);
  const res = await world.http.postForm(`/${tenantId}/oauth2/v2.0/token`, {
    grant_type: 'client_credentials',
    client_id: SANDBOX_APP.clientId,
    client_secret: SANDBOX_APP.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.text}`);
  return String(res.json().access_token);
}

/** Raw Graph calls with a bearer token (for status codes, headers and error bodies). */
export function graphCaller(http: EmulatorHttp, token: string) {
  const auth = (headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...headers,
  });
  return {
    get: (path: string, headers?: Record<string, string>) => http.get(path, auth(headers)),
    delete: (path: string) => http.send('DELETE', path, auth()),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      send(http, 'POST', path, body, auth(headers)),
    patch: (path: string, body: unknown) => send(http, 'PATCH', path, body, auth()),
  };
}

export type GraphCaller = ReturnType<typeof graphCaller>;

function send(
  http: EmulatorHttp,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<HttpResult> {
  if (body === undefined) return http.send(method, path, headers);
  return http.send(
    method,
    path,
    { 'content-type': 'application/json', ...headers },
    JSON.stringify(body),
  );
}

export interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Behaviour = (request: Received, res: ServerResponse) => void;

/** Answers the validation handshake with the decoded token, notifications with 202. */
export const echoHandshake: Behaviour = (request, res) => {
  const token = request.url.searchParams.get('validationToken');
  if (token !== null) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    return;
  }
  res.writeHead(202).end();
};

/** A plain-http webhook receiver on 127.0.0.1 that records everything it gets. */
export class Receiver {
  readonly received: Received[] = [];
  behaviour: Behaviour = echoHandshake;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hook'): Promise<Receiver> {
    let receiver: Receiver | null = null;
    const server = createServer((req, res) => receiver?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    receiver = new Receiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  /** Requests that were notifications (not handshakes), parsed. */
  notifications(): Array<{ value: Array<Record<string, unknown>> }> {
    return this.received
      .filter((r) => !r.url.searchParams.has('validationToken'))
      .map((r) => JSON.parse(r.body));
  }

  handshakes(): Received[] {
    return this.received.filter((r) => r.url.searchParams.has('validationToken'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Received = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.received.push(request);
      this.behaviour(request, res);
    });
  }
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { Agent, request } from 'undici';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** An HTTPS client that trusts the emulator's CA (and nothing is disabled). */
export class EmulatorHttp {
  readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    caCertPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caCertPem } });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.send('GET', path, headers);
  }

  postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const body = new URLSearchParams(form).toString();
    return this.send(
      'POST',
      path,
      { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    );
  }

  sendJson(method: string, path: string, payload?: unknown): Promise<HttpResult> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    return this.send(method, path, body ? { 'content-type': 'application/json' } : {}, body);
  }

  async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<HttpResult> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const res = await request(url, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      flat[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    return { status: res.statusCode, headers: flat, text, json: <T>() => JSON.parse(text) as T };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

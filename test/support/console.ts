import { request } from 'undici';
import { STAFF_PASSWORD } from '../factories/staff.js';

export interface ConsoleReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One browser's view of the operations console over plain HTTP: keeps its cookies, signs in
 * through the login form, and calls AdminJS's API with the CSRF header the console's pages send.
 */
export class ConsoleBrowser {
  readonly cookies = new Map<string, string>();

  constructor(public baseUrl: string) {}

  async call(
    method: string,
    path: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<ConsoleReply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(`${this.baseUrl}${path}`, {
      method: method as 'GET',
      headers,
      body: options.form ? new URLSearchParams(options.form).toString() : undefined,
    });
    this.keepCookies(res.headers['set-cookie']);
    const body = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body,
      json: <T>() => JSON.parse(body) as T,
    };
  }

  /** The sign-in form, filled in and posted like a browser does. */
  async login(email: string, password = STAFF_PASSWORD): Promise<ConsoleReply> {
    await this.call('GET', '/admin/login');
    return this.call('POST', '/admin/login', {
      form: { email, password, _csrf: this.cookies.get('scendcore_console_login') ?? '' },
    });
  }

  /** AdminJS's API, as its pages call it (X-XSRF-TOKEN from the XSRF-TOKEN cookie). */
  api(path: string, method = 'GET'): Promise<ConsoleReply> {
    return this.call(method, `/admin/api${path}`, {
      headers: { 'x-xsrf-token': this.cookies.get('XSRF-TOKEN') ?? '' },
    });
  }

  /** A record action as the console's button runs it. */
  async action(resource: string, id: string, action: string): Promise<ConsoleReply> {
    return this.api(`/resources/${resource}/records/${encodeURIComponent(id)}/${action}`);
  }

  async logout(): Promise<ConsoleReply> {
    const page = await this.call('GET', '/admin/logout');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return this.call('POST', '/admin/logout', { form: { _csrf: csrf } });
  }

  private keepCookies(header: string | string[] | undefined): void {
    for (const line of [header ?? []].flat()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const [name, value] = [pair.slice(0, index).trim(), pair.slice(index + 1).trim()];
      if (value === '' || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The notice of an action's answer ({notice: {message, type}}). */
export function noticeOf(reply: ConsoleReply): { message: string; type: string } {
  return reply.json<{ notice: { message: string; type: string } }>().notice;
}

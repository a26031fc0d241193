/** A failed REST call, with the service's error body (`{error: {code, message, details}}`). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `The service answered ${status}.`);
    this.status = status;
    this.code = body?.error?.code ?? 'http_error';
    this.details = body?.error?.details ?? [];
  }

  /** The message with the fields the service named. */
  describe() {
    const fields = this.details
      .map((detail) => detail.message ?? detail.field)
      .filter(Boolean)
      .join('; ');
    return fields ? `${this.message} (${fields})` : this.message;
  }
}

/**
 * The public REST API exactly as the ScendCore frontend calls it: JSON, the bearer token on
 * every call, the error body turned into an ApiError.
 */
export function createApi(getToken) {
  async function request(method, path, options = {}) {
    const headers = { accept: 'application/json', ...options.headers };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: options.credentials ?? 'same-origin',
    });
    if (res.status === 204) return options.withStatus ? { status: 204, body: null } : null;
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, body);
    return options.withStatus ? { status: res.status, body } : body;
  }

  /** Every item of a cursor-paged list (at most `pages` pages of 100). */
  async function listAll(path, pages = 20) {
    const items = [];
    let cursor = null;
    for (let page = 0; page < pages; page += 1) {
      const join = path.includes('?') ? '&' : '?';
      const next = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const body = await request('GET', `${path}${join}limit=100${next}`);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  return {
    request,
    listAll,
    get: (path) => request('GET', path),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    patch: (path, body) => request('PATCH', path, { body }),
    delete: (path) => request('DELETE', path),
  };
}

const KEY = 'scendcore.emailSetup.token';

/**
 * The ScendCore bearer token the page calls the API with. The real frontend has it from its own
 * sign-in; here it is pasted (or, in sandbox mode, a demo token). Kept for this tab only, so it
 * survives the round trip through Microsoft's sign-in.
 */
export const session = {
  token() {
    return sessionStorage.getItem(KEY) ?? '';
  },
  set(token) {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  },
  /** Who the token names (read, not verified: the service verifies it). */
  claims() {
    const token = this.token();
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload));
    } catch {
      return null;
    }
  },
};

/** Sandbox mode only: a demo bearer token from POST /v1/sandbox/token. */
export async function demoToken(api) {
  const issued = await api.post('/v1/sandbox/token', {});
  session.set(issued.token);
  return issued;
}

/** Server-rendered pages of the console outside AdminJS: sign-in, sign-out, errors. */

export interface LoginView {
  csrf: string;
  email?: string;
  message?: { kind: 'error' | 'info'; text: string };
  next?: string;
}

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f6f7fb;
         color: #1c1c38; margin: 0; display: flex; min-height: 100vh; align-items: center;
         justify-content: center; }
  main { background: #fff; padding: 32px 40px; border-radius: 8px; width: 340px;
         box-shadow: 0 2px 12px rgba(20, 20, 60, .12); }
  h1 { font-size: 20px; margin: 0 0 4px; } p.sub { color: #6b6b88; margin: 0 0 24px; font-size: 14px; }
  label { display: block; font-size: 13px; margin: 16px 0 6px; }
  input { width: 100%; box-sizing: border-box; padding: 9px 10px; font-size: 14px;
          border: 1px solid #c6c6d8; border-radius: 4px; }
  button { margin-top: 24px; width: 100%; padding: 10px; font-size: 14px; border: 0;
           border-radius: 4px; background: #3040d6; color: #fff; cursor: pointer; }
  .message { padding: 10px 12px; border-radius: 4px; font-size: 13px; margin-bottom: 8px; }
  .error { background: #fdecec; color: #a01616; } .info { background: #eaf1fd; color: #17408b; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, nonce: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage(view: LoginView, nonce: string): string {
  const message = view.message
    ? `<div class="message ${view.message.kind}" role="alert">${escapeHtml(view.message.text)}</div>`
    : '';
  return page(
    'Sign in · ScendCore operations console',
    nonce,
    `<h1>ScendCore operations console</h1><p class="sub">Staff sign-in</p>${message}
<form method="post" action="/admin/login">
<input type="hidden" name="_csrf" value="${escapeHtml(view.csrf)}">
<input type="hidden" name="next" value="${escapeHtml(view.next ?? '')}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(view.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

export function logoutPage(csrf: string, email: string, nonce: string): string {
  return page(
    'Sign out · ScendCore operations console',
    nonce,
    `<h1>Sign out</h1><p class="sub">Signed in as ${escapeHtml(email)}</p>
<form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<button type="submit">Sign out</button></form>`,
  );
}

export function errorPage(status: number, text: string, nonce: string): string {
  return page(
    'ScendCore operations console',
    nonce,
    `<h1>${status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
<p class="sub">${escapeHtml(text)}</p><p><a href="/admin">Back to the console</a></p>`,
  );
}

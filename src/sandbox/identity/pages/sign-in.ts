import type { User } from '../../model.js';
import { escapeHtml } from './html.js';
import { initials, layout } from './layout.js';

export interface SignInPageInput {
  action: string;
  interactionId: string;
  appName: string;
  users: User[];
  /** Highlighted and prefilled (from `login_hint`). */
  preselected: User | null;
  error: string | null;
}

/** "Pick an account": one tile per seeded user, plus a field to type an address. */
export function signInPage(input: SignInPageInput): string {
  const tiles = input.users.map((u) => tile(u, u.id === input.preselected?.id)).join('');
  const hint = input.preselected?.userPrincipalName ?? '';
  const error = input.error
    ? `<div class="error" role="alert" data-testid="sign-in-error">${escapeHtml(input.error)}</div>`
    : '';
  return layout(
    'Sign in to your account',
    `<h1 id="title">Pick an account</h1>
<p class="muted">to continue to <strong data-testid="app-name">${escapeHtml(input.appName)}</strong></p>
${error}
<form method="POST" action="${escapeHtml(input.action)}" id="pick-account">
<input type="hidden" name="interaction" value="${escapeHtml(input.interactionId)}">
<ul class="tiles" data-testid="accounts">${tiles}</ul>
<label for="login">Or sign in with another account</label>
<input type="email" id="login" name="login" value="${escapeHtml(hint)}" placeholder="Email, phone, or Skype" data-testid="login-input" autocomplete="username">
<div class="actions"><button type="submit" class="primary" id="next" data-testid="next">Next</button></div>
</form>`,
  );
}

function tile(user: User, selected: boolean): string {
  return `<li><button type="submit" name="user_id" value="${escapeHtml(user.id)}" class="tile${selected ? ' selected' : ''}" data-testid="account-${escapeHtml(user.userPrincipalName)}" aria-label="Sign in with ${escapeHtml(user.userPrincipalName)}">
<span class="avatar" aria-hidden="true">${escapeHtml(initials(user.displayName))}</span>
<span><span class="name">${escapeHtml(user.displayName)}</span><span class="upn">${escapeHtml(user.userPrincipalName)}</span></span></button></li>`;
}

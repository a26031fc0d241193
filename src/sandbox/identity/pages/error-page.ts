import { randomUUID } from 'node:crypto';
import type { AadError } from '../aad-error.js';
import { aadTimestamp } from '../aad-error.js';
import { escapeHtml } from './html.js';
import { layout } from './layout.js';

/** "Sorry, but we're having trouble signing you in." with the AADSTS details. */
export function errorPage(err: AadError, at: Date): string {
  return layout(
    'Sign in to your account',
    `<h1 id="title">Sign in</h1>
<p>Sorry, but we're having trouble signing you in.</p>
<p class="error" role="alert" data-testid="error-message">AADSTS${err.code}: ${escapeHtml(err.description)}</p>
<div class="details" data-testid="error-details">Error code: <span data-testid="error-code">AADSTS${err.code}</span><br>Request Id: ${randomUUID()}<br>Correlation Id: ${randomUUID()}<br>Timestamp: ${aadTimestamp(at)}</div>`,
  );
}

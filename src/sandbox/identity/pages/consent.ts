import type { User } from '../../model.js';
import { escapeHtml } from './html.js';
import { initials, layout } from './layout.js';

export interface ConsentPageInput {
  action: string;
  interactionId: string;
  appName: string;
  user: User;
  /** Human-readable permission descriptions. */
  permissions: string[];
  /** Admin consent: "Accept for your organization" wording and no per-user checkbox. */
  forOrganization: boolean;
  /** An admin doing user consent may also consent for the whole organization. */
  offerOrganizationConsent: boolean;
}

/** "Permissions requested", with Accept and Cancel, like Microsoft's consent prompt. */
export function consentPage(input: ConsentPageInput): string {
  const perms = input.permissions
    .map((p) => `<li data-testid="permission">${escapeHtml(p)}</li>`)
    .join('');
  const lead = input.forOrganization
    ? 'This app would like to access data for everyone in your organization:'
    : 'This app would like to:';
  return layout(
    'Permissions requested',
    `<div class="identity" data-testid="signed-in-user">${escapeHtml(input.user.userPrincipalName)}</div>
<h1 id="title">Permissions requested${input.forOrganization ? '<br><span class="muted">Accept for your organization</span>' : ''}</h1>
<div class="app"><div class="app-icon" aria-hidden="true">${escapeHtml(initials(input.appName))}</div>
<div><div class="app-name" data-testid="app-name">${escapeHtml(input.appName)}</div><div class="unverified">unverified</div></div></div>
<p>${lead}</p>
<ul class="perms" data-testid="permissions">${perms}</ul>
<form method="POST" action="${escapeHtml(input.action)}" id="consent-form">
<input type="hidden" name="interaction" value="${escapeHtml(input.interactionId)}">
${input.offerOrganizationConsent ? '<label class="checkbox"><input type="checkbox" name="consent_on_behalf_of_org" value="true" data-testid="org-consent"> Consent on behalf of your organization</label>' : ''}
<p class="muted">Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement. ${input.forOrganization ? 'The publisher has not provided links to their terms for you to review.' : 'You can change these permissions at https://myapps.microsoft.com.'}</p>
<div class="actions">
<button type="submit" name="decision" value="cancel" class="secondary" id="cancel" data-testid="cancel">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary" id="accept" data-testid="accept">Accept</button>
</div></form>`,
  );
}

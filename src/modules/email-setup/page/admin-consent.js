import { busy, field, formatTime, h } from './dom.js';
import { returnTo } from './return-to.js';

/** A one-time admin consent link (24 h) for an IT admin of the organization. */
async function createAdminConsentLink(app, tenant) {
  const body = { returnTo: returnTo('admin-consent') };
  if (tenant) body.tenant = tenant;
  const sub = app.session.claims()?.sub;
  if (sub) body.requestedBy = sub;
  app.ui.adminConsentLink = await app.api.post('/v1/microsoft/admin-consent', body);
  app.ui.adminConsentError = null;
}

export function organizationCard(app, rerender) {
  const tenant = h('input', {
    type: 'text',
    autocomplete: 'off',
    placeholder: 'contoso.com',
    value: app.ui.consentTenant,
  });
  const form = h(
    'form',
    { onSubmit: (event) => linkRequested(event, app, tenant, rerender) },
    field(
      'consent-tenant',
      'Organization (optional)',
      tenant,
      'Domain or tenant id. Empty: the organization of the admin who accepts.',
    ),
    h(
      'button',
      { type: 'submit', id: 'consent-create', disabled: !app.hasToken() },
      'Create admin consent link',
    ),
  );
  return h(
    'div',
    { class: 'card', id: 'admin-consent' },
    h('h3', {}, 'M365 Organization (Admin Consent)'),
    h(
      'p',
      {},
      'An IT admin approves ScendCore once for the whole organization: every user and shared mailbox becomes available without anyone signing in.',
    ),
    form,
    consentResult(app),
  );
}

async function linkRequested(event, app, tenant, rerender) {
  event.preventDefault();
  try {
    await busy(event.submitter, 'Creating…', () =>
      createAdminConsentLink(app, tenant.value.trim()),
    );
    app.announce('Admin consent link created.');
  } catch (error) {
    app.ui.adminConsentLink = null;
    app.ui.adminConsentError = app.describe(error);
  }
  rerender();
  document.getElementById(app.ui.adminConsentLink ? 'consent-link' : 'consent-tenant')?.focus();
}

function consentResult(app) {
  if (app.ui.adminConsentError) {
    return h('p', { class: 'error-text', role: 'alert' }, app.ui.adminConsentError);
  }
  const link = app.ui.adminConsentLink;
  if (!link) return null;
  const input = h('input', { type: 'text', readonly: true, value: link.authorizationUrl });
  const copy = () =>
    navigator.clipboard?.writeText(link.authorizationUrl).then(() => app.announce('Link copied.'));
  return h(
    'div',
    { class: 'consent-link' },
    field(
      'consent-link',
      'Admin consent link',
      input,
      `Send it to your Microsoft 365 admin. It works once, until ${formatTime(link.expiresAt)}.`,
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onClick: copy }, 'Copy link'),
      h(
        'a',
        { class: 'button', href: link.authorizationUrl, id: 'consent-open' },
        'Open it (I am the admin)',
      ),
    ),
  );
}

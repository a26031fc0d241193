import { organizationCard } from './admin-consent.js';
import { busy, h, replaceContent } from './dom.js';
import { returnTo } from './return-to.js';

/**
 * Connect as the frontend must: POST /v1/microsoft/connect with credentials (the answer's
 * cookie binds the sign-in to this browser), then this same browser goes to Microsoft.
 */
export async function startConnect(app, loginHint) {
  const body = { returnTo: returnTo() };
  if (loginHint) body.loginHint = loginHint;
  const { authorizationUrl } = await app.api.post('/v1/microsoft/connect', body, {
    credentials: 'include',
  });
  location.assign(authorizationUrl);
}

export function renderConnect(app) {
  replaceContent(
    document.getElementById('connect'),
    h('h2', { id: 'connect-title' }, 'Connect a mailbox'),
    h(
      'div',
      { class: 'grid' },
      microsoftCard(app),
      organizationCard(app, () => renderConnect(app)),
    ),
  );
}

function microsoftCard(app) {
  return h(
    'div',
    { class: 'card' },
    h('h3', {}, '+ Microsoft 365'),
    h(
      'p',
      {},
      'Outlook or Microsoft 365 mailbox. You are sent to Microsoft to sign in as the mailbox and accept the permissions, then come back here with the mailbox under Connected Mailboxes.',
    ),
    h(
      'button',
      {
        type: 'button',
        id: 'connect-microsoft',
        disabled: !app.hasToken(),
        onClick: (e) => connectClicked(e, app),
      },
      'Connect Microsoft',
    ),
    h(
      'p',
      { class: 'inline-status error-text', id: 'connect-error', role: 'status' },
      app.ui.connectError ?? '',
    ),
  );
}

async function connectClicked(event, app) {
  try {
    await busy(event.currentTarget, 'Going to Microsoft…', () => startConnect(app));
  } catch (error) {
    app.ui.connectError = `Could not start the sign-in: ${app.describe(error)}`;
    renderConnect(app);
  }
}

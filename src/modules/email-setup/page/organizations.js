import { badge, busy, formatTime, h, replaceContent } from './dom.js';
import { ORGANIZATION_STATUS } from './labels.js';

const ORGANIZATION_REASON = {
  consent_revoked:
    'Admin consent was revoked or ScendCore was removed from Entra ID: its mailboxes are paused. Ask your Microsoft 365 admin to grant admin consent again.',
};

/** Organizations connected through admin consent. */
export function renderOrganizations(app) {
  const { organizations } = app.state;
  const section = document.getElementById('organizations');
  section.hidden = organizations.length === 0;
  replaceContent(
    section,
    h('h2', { id: 'organizations-title' }, 'Organizations (admin consent)'),
    organizations.map((organization) => organizationCard(app, organization)),
  );
}

function organizationCard(app, organization) {
  const id = organization.id;
  const [status, tone] = ORGANIZATION_STATUS[organization.status] ?? [organization.status, ''];
  const counts = organization.counts ?? {};
  const reason = ORGANIZATION_REASON[organization.statusReason];
  return h(
    'article',
    { class: 'card', id: `organization-${id}`, 'aria-labelledby': `organization-${id}-title` },
    h('h3', { id: `organization-${id}-title` }, organization.domain ?? organization.tenantId),
    h(
      'p',
      { class: 'badges' },
      badge('Microsoft 365', 'info'),
      h(
        'span',
        { class: `badge ${tone}` },
        h('span', { class: 'visually-hidden' }, 'Status: '),
        status,
      ),
    ),
    h(
      'p',
      {},
      `${counts.mailboxes ?? 0} mailboxes (${counts.active ?? 0} active, ${counts.sharedMailboxes ?? 0} shared). Last synced ${formatTime(organization.lastSyncAt) || 'not yet'}.`,
    ),
    reason ? h('div', { class: 'notice warn' }, h('p', {}, reason)) : null,
    organization.lastError
      ? h('p', { class: 'error-text' }, `Last sync problem: ${organization.lastError}`)
      : null,
    app.statusLine(`org:${id}`, `organization-${id}-status`),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: `sync-${id}`,
          onClick: (e) => sync(e, app, organization),
        },
        'Sync now',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: `remove-org-${id}`,
          onClick: () => remove(app, organization),
        },
        'Remove organization',
      ),
    ),
  );
}

async function sync(event, app, organization) {
  try {
    const synced = await busy(event.currentTarget, 'Syncing…', () =>
      app.api.post(`/v1/organizations/${organization.id}/sync`),
    );
    app.setStatus(
      `org:${organization.id}`,
      synced.status === 'syncing'
        ? 'Sync started; it goes on in the background.'
        : `Synced: ${synced.counts?.mailboxes ?? 0} mailboxes.`,
    );
  } catch (error) {
    app.setStatus(`org:${organization.id}`, `Sync failed: ${app.describe(error)}`, 'error-text');
  }
  await app.reload();
}

async function remove(app, organization) {
  const name = organization.domain ?? organization.tenantId;
  const yes = await app.confirm({
    title: `Remove ${name}?`,
    text: 'All of its mailboxes are disconnected in ScendCore (history is kept). To also revoke Microsoft’s side, an admin deletes the ScendCore enterprise application in Entra ID.',
    confirmLabel: 'Remove organization',
  });
  if (!yes) return;
  try {
    const removed = await app.api.delete(`/v1/organizations/${organization.id}`);
    app.notify({ tone: 'ok', title: `Removed ${name}`, text: removed?.notice ?? '' });
  } catch (error) {
    app.setStatus(
      `org:${organization.id}`,
      `Could not remove: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
}

import { busy } from './dom.js';

/** The mailbox's next step: sign in again, or an admin consent link for its organization. */
export async function nextStep(event, app, mailbox, action) {
  if (action === 'ask_admin') {
    app.ui.consentTenant = mailbox.tenantId;
    document.getElementById('consent-tenant').value = mailbox.tenantId;
    document.getElementById('consent-create').click();
    return;
  }
  try {
    await busy(event.currentTarget, 'Going to Microsoft…', () => app.connect(mailbox.email));
  } catch (error) {
    const text = `Could not start the sign-in: ${app.describe(error)}`;
    app.setStatus(`mailbox:${mailbox.id}`, text, 'error-text');
    await app.reload();
  }
}

export async function refresh(event, app, mailbox) {
  try {
    const result = await busy(event.currentTarget, 'Refreshing…', () =>
      app.api.post(`/v1/mailboxes/${mailbox.id}/refresh`),
    );
    app.setStatus(`mailbox:${mailbox.id}`, describeChanges(result.changes));
  } catch (error) {
    app.setStatus(`mailbox:${mailbox.id}`, `Refresh failed: ${app.describe(error)}`, 'error-text');
  }
  await app.reload();
}

export function describeChanges({ added, removed }) {
  const list = (items) => items.map((identity) => identity.email).join(', ');
  const parts = [];
  if (added.length) parts.push(`${added.length} new: ${list(added)}`);
  if (removed.length) parts.push(`${removed.length} no longer present: ${list(removed)}`);
  return parts.length
    ? `Refresh found ${parts.join('; ')}.`
    : 'Refresh found no changes: the identities are up to date.';
}

export async function disconnect(app, mailbox) {
  const yes = await app.confirm({
    title: `Disconnect ${mailbox.email}?`,
    text: 'ScendCore stops sending and receiving with this mailbox: its Microsoft sign-in is deleted, its identities leave their sender profiles and messages queued on them are cancelled. History is kept, and you can connect it again later.',
    confirmLabel: 'Disconnect',
  });
  if (!yes) return;
  try {
    await app.api.delete(`/v1/mailboxes/${mailbox.id}`);
    app.notify({
      tone: 'ok',
      title: `Disconnected ${mailbox.email}`,
      text: 'Its sign-in was deleted; history is kept.',
    });
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Disconnect failed: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
  // Its identities leave their sender profiles in the background a moment later.
  setTimeout(() => app.reload(), 3000);
}

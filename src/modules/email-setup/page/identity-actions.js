import { busy, h } from './dom.js';

/** Verify and Remove for Send As addresses. */
export function identityActions(app, mailbox, identity) {
  if (identity.type !== 'send_as') return h('span', { class: 'hint' }, '—');
  const verify = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: `verify-${identity.id}`,
      'aria-label': `Verify ${identity.email}`,
      onClick: (e) => verifyIdentity(e, app, mailbox, identity),
    },
    'Verify',
  );
  const remove =
    identity.source === 'manual'
      ? h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: `remove-${identity.id}`,
            'aria-label': `Remove ${identity.email}`,
            onClick: () => removeIdentity(app, mailbox, identity),
          },
          'Remove',
        )
      : null;
  return h('div', { class: 'actions' }, verify, remove);
}

async function verifyIdentity(event, app, mailbox, identity) {
  try {
    await busy(event.currentTarget, 'Verifying…', () =>
      app.api.post(`/v1/identities/${identity.id}/verify`),
    );
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Verified: Microsoft sent a test message from ${identity.email} to ${mailbox.email}.`,
    );
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `${identity.email} could not be verified: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
}

async function removeIdentity(app, mailbox, identity) {
  const yes = await app.confirm({
    title: `Remove ${identity.email}?`,
    text: 'The Send As address leaves this mailbox and its sender profile. You can add it again later.',
    confirmLabel: 'Remove',
  });
  if (!yes) return;
  try {
    await app.api.delete(`/v1/identities/${identity.id}`);
    app.setStatus(`mailbox:${mailbox.id}`, `Removed ${identity.email}.`);
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Could not remove ${identity.email}: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
}

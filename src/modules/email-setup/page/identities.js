import { badge, formatTime, h, select } from './dom.js';
import { IDENTITY_STATUS, IDENTITY_TYPE } from './labels.js';
import { identityActions } from './identity-actions.js';
import { identityPace } from './pace.js';
import { IDENTITY_STATUS_TEXT } from './reasons.js';

/** The identity table: address, type, status, sender profile assignment, actions. */
export function identityTable(app, mailbox) {
  if (mailbox.identities.length === 0) {
    return h(
      'p',
      { class: 'muted' },
      'No identities yet. Refresh asks Microsoft for the mailbox’s addresses.',
    );
  }
  return h(
    'table',
    { class: 'stack' },
    h('caption', {}, `Identities of ${mailbox.email}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Address', 'Type', 'Status', 'Sender profile', 'Actions'].map((name) =>
          h('th', { scope: 'col' }, name),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      mailbox.identities.map((identity) => identityRow(app, mailbox, identity)),
    ),
  );
}

function identityRow(app, mailbox, identity) {
  return h(
    'tr',
    { id: `identity-${identity.id}` },
    h(
      'td',
      { 'data-label': 'Address' },
      h('strong', {}, identity.email),
      identity.displayName ? h('div', { class: 'hint' }, identity.displayName) : null,
    ),
    h('td', { 'data-label': 'Type' }, IDENTITY_TYPE[identity.type] ?? identity.type),
    h('td', { 'data-label': 'Status' }, statusCell(identity)),
    h(
      'td',
      { 'data-label': 'Sender profile', class: 'pace-cell' },
      assignment(app, mailbox, identity),
    ),
    h('td', { 'data-label': 'Actions' }, identityActions(app, mailbox, identity)),
  );
}

function statusCell(identity) {
  const [text, tone] = IDENTITY_STATUS[identity.status] ?? [identity.status, ''];
  const verified =
    identity.type === 'send_as'
      ? h(
          'div',
          { class: 'hint' },
          identity.verifiedAt ? `Verified ${formatTime(identity.verifiedAt)}` : 'Not verified yet',
        )
      : null;
  const why = IDENTITY_STATUS_TEXT[identity.status];
  return [badge(text, tone), verified, why ? h('div', { class: 'hint' }, why) : null];
}

function assignment(app, mailbox, identity) {
  const options = [
    ['', 'Not assigned'],
    ...app.state.profiles.map((profile) => [profile.id, profile.name]),
  ];
  const control = select(options, identity.senderProfileId ?? '', {
    id: `assign-${identity.id}`,
    onChange: (event) => assign(app, mailbox, identity, event.currentTarget),
  });
  return [
    h(
      'label',
      { for: control.id, class: 'visually-hidden' },
      `Sender profile for ${identity.email}`,
    ),
    control,
    identityPace(app, mailbox, identity),
  ];
}

async function assign(app, mailbox, identity, control) {
  const senderProfileId = control.value || null;
  const profile = app.state.profiles.find((candidate) => candidate.id === senderProfileId);
  try {
    control.disabled = true;
    await app.api.patch(`/v1/identities/${identity.id}`, { senderProfileId });
    app.setStatus(
      `mailbox:${mailbox.id}`,
      profile
        ? `${identity.email} now sends for the sender profile ${profile.name}.`
        : `${identity.email} is no longer assigned to a sender profile.`,
    );
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Could not assign ${identity.email}: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
}

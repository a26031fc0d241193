import { badge, busy, field, h, replaceContent } from './dom.js';
import { profilePace } from './pace.js';
import { PROFILE_REASON } from './reasons.js';

/** Sender profiles: the "from" name outreach goes out under, sending through its identities. */
export function renderProfiles(app) {
  replaceContent(
    document.getElementById('profiles'),
    h('h2', { id: 'profiles-title' }, 'Sender profiles'),
    h(
      'p',
      { class: 'hint' },
      'A sender profile is the “from” name outreach is sent under. It sends through the identities assigned to it (in Connected Mailboxes), taking turns.',
    ),
    app.statusLine('profiles', 'profiles-status'),
    app.state.profiles.length
      ? profileTable(app)
      : h('p', { class: 'muted' }, 'No sender profile yet.'),
    app.disclosure('profile-new', '+ New sender profile', profileForm(app)),
  );
}

function profileTable(app) {
  const head = ['Name', 'From name', 'Identities', 'Status', 'Sending pace', 'Actions'].map(
    (name) => h('th', { scope: 'col' }, name),
  );
  return h(
    'table',
    { class: 'stack' },
    h('caption', { class: 'visually-hidden' }, 'Sender profiles'),
    h('thead', {}, h('tr', {}, head)),
    h(
      'tbody',
      {},
      app.state.profiles.map((profile) => profileRow(app, profile)),
    ),
  );
}

function profileRow(app, profile) {
  const addresses = identitiesOf(app, profile).map((identity) => identity.email);
  const status = profile.sendable
    ? badge('Ready to send', 'ok')
    : [
        badge('Not sending', 'warn'),
        h(
          'div',
          { class: 'hint' },
          PROFILE_REASON[profile.notSendableReason] ?? profile.notSendableReason,
        ),
      ];
  return h(
    'tr',
    { id: `profile-${profile.id}` },
    h('td', { 'data-label': 'Name' }, h('strong', {}, profile.name)),
    h(
      'td',
      { 'data-label': 'From name' },
      profile.fromName,
      profile.replyTo ? h('div', { class: 'hint' }, `Replies to ${profile.replyTo}`) : null,
    ),
    h('td', { 'data-label': 'Identities' }, addresses.length ? addresses.join(', ') : 'None'),
    h('td', { 'data-label': 'Status' }, status),
    h('td', { 'data-label': 'Sending pace', class: 'pace-cell' }, profilePace(app, profile)),
    h(
      'td',
      { 'data-label': 'Actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: `delete-profile-${profile.id}`,
          'aria-label': `Delete ${profile.name}`,
          onClick: () => remove(app, profile),
        },
        'Delete',
      ),
    ),
  );
}

function identitiesOf(app, profile) {
  const all = app.state.mailboxes.flatMap((mailbox) => mailbox.identities);
  return all.filter((identity) => profile.identityIds.includes(identity.id));
}

function profileForm(app) {
  const name = h('input', { type: 'text', required: true, maxlength: 100, autocomplete: 'off' });
  const fromName = h('input', {
    type: 'text',
    required: true,
    maxlength: 100,
    autocomplete: 'name',
  });
  const replyTo = h('input', { type: 'email', autocomplete: 'email' });
  return h(
    'form',
    { onSubmit: (event) => create(event, app, { name, fromName, replyTo }) },
    field('profile-name', 'Profile name', name, 'For you, e.g. “Outreach – EMEA”.'),
    field('profile-from', 'From name', fromName, 'What recipients see, e.g. “Adele Vance”.'),
    field('profile-reply', 'Reply-to address (optional)', replyTo),
    h('button', { type: 'submit', id: 'profile-create' }, 'Create sender profile'),
  );
}

async function create(event, app, inputs) {
  event.preventDefault();
  const body = { name: inputs.name.value.trim(), fromName: inputs.fromName.value.trim() };
  if (inputs.replyTo.value.trim()) body.replyTo = inputs.replyTo.value.trim();
  try {
    await busy(event.submitter, 'Creating…', () => app.api.post('/v1/sender-profiles', body));
    app.ui.open.delete('profile-new');
    app.setStatus(
      'profiles',
      `Created ${body.name}. Assign identities to it under Connected Mailboxes.`,
    );
  } catch (error) {
    app.setStatus('profiles', `Could not create the profile: ${app.describe(error)}`, 'error-text');
  }
  await app.reload();
  document.getElementById('profiles-status')?.focus();
}

async function remove(app, profile) {
  const yes = await app.confirm({
    title: `Delete ${profile.name}?`,
    text: 'Its identities are unassigned. Messages still queued for it must be sent or cancelled first.',
    confirmLabel: 'Delete',
  });
  if (!yes) return;
  try {
    await app.api.delete(`/v1/sender-profiles/${profile.id}`);
    app.setStatus('profiles', `Deleted ${profile.name}.`);
  } catch (error) {
    app.setStatus(
      'profiles',
      `Could not delete ${profile.name}: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
  document.getElementById('profiles-status')?.focus();
}

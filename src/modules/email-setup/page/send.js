import { busy, field, formatTime, h, replaceContent, select } from './dom.js';
import { MESSAGE_STATUS } from './labels.js';
import { waitingText } from './pace-text.js';
import { messageProblem } from './reasons.js';

const FINAL = ['sent', 'failed', 'cancelled'];

/** "Send a test message" through a sender profile; it then shows under Recent messages. */
export function renderSend(app) {
  const section = document.getElementById('send');
  if (!section.firstChild) replaceContent(section, ...sendForm(app));
  updateProfiles(app);
}

function sendForm(app) {
  const to = h('input', { type: 'email', required: true, autocomplete: 'email' });
  const subject = h('input', {
    type: 'text',
    required: true,
    maxlength: 998,
    value: 'Test message from ScendCore',
  });
  const text = h('textarea', { rows: 4 }, 'Hello! This is a test message sent through ScendCore.');
  const profile = select([], '');
  const form = h(
    'form',
    { onSubmit: (event) => send(event, app, { profile, to, subject, text }) },
    field(
      'send-profile',
      'Sender profile',
      profile,
      'The message goes out from one of its Active identities.',
    ),
    field('send-to', 'To', to),
    field('send-subject', 'Subject', subject),
    field('send-text', 'Message', text),
    h('button', { type: 'submit', id: 'send-submit' }, 'Send test message'),
  );
  return [
    h('h2', { id: 'send-title' }, 'Send a test message'),
    form,
    h('p', { class: 'inline-status', role: 'status', tabindex: -1, id: 'send-status' }),
  ];
}

function updateProfiles(app) {
  const control = document.getElementById('send-profile');
  const current = control.value;
  const options = app.state.profiles.map((profile) => [
    profile.id,
    profile.sendable ? profile.name : `${profile.name} (not ready to send)`,
  ]);
  control.replaceChildren(...select(options, current || options[0]?.[0]).children);
  document.getElementById('send-submit').disabled = options.length === 0 || !app.hasToken();
  const hint = document.getElementById('send-profile-hint');
  hint.textContent = options.length
    ? 'The message goes out from one of its Active identities.'
    : 'Create a sender profile and assign an identity to it first.';
}

async function send(event, app, inputs) {
  event.preventDefault();
  const status = document.getElementById('send-status');
  const body = {
    senderProfileId: inputs.profile.value,
    to: [inputs.to.value.trim()],
    subject: inputs.subject.value,
    text: inputs.text.value,
  };
  try {
    const queued = await busy(event.submitter, 'Sending…', () =>
      app.api.post('/v1/messages', body, { headers: { 'idempotency-key': crypto.randomUUID() } }),
    );
    status.className = 'inline-status';
    status.textContent = `Queued for ${body.to[0]}. Waiting for Microsoft…`;
    await app.reload();
    const final = await waitForOutcome(app, queued.id);
    status.textContent = outcomeText(final);
    if (final.status !== 'sent') status.className = 'inline-status error-text';
  } catch (error) {
    status.className = 'inline-status error-text';
    status.textContent = `Not sent: ${app.describe(error)}`;
  }
  await app.reload();
}

async function waitForOutcome(app, id) {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const message = await app.api.get(`/v1/messages/${id}`);
    if (FINAL.includes(message.status) || waiting(message)) return message;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return app.api.get(`/v1/messages/${id}`);
}

/** Queued with a reason: it waits for something a person must fix (or for Microsoft). */
function waiting(message) {
  return message.status === 'queued' && Boolean(message.errorCode || message.waitingReason);
}

function outcomeText(message) {
  if (message.status === 'sent')
    return `Sent from ${message.fromEmail} at ${formatTime(message.sentAt)}.`;
  if (FINAL.includes(message.status))
    return `${MESSAGE_STATUS[message.status][0]}: ${messageProblem(message)}`;
  const problem = messageProblem(message);
  if (message.status === 'queued' && message.waitingReason && !problem) {
    return `Queued, not sent yet: ${waitingText(message)}. Recent messages below shows when it goes out.`;
  }
  if (waiting(message)) {
    return `Waiting: ${problem} It goes out once that is fixed (next try ${formatTime(message.nextAttemptAt)}).`;
  }
  return `Still ${message.status}${problem ? `: ${problem}` : ''}. Recent messages below shows when it goes out.`;
}

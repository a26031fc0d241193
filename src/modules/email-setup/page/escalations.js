import { busy, formatTime, h, replaceContent } from './dom.js';
import { topicLabel } from './labels.js';
import { inboundReason } from './reasons.js';
import { outlookLink } from './answered-message.js';

const OUTLOOK = 'https://outlook.office.com/mail/';

/** Messages the AI handed to a person (`GET /v1/inbound/messages?action=escalated`). */
export const escalationList = {
  items: [],
  async load(api) {
    this.items = (await api.get('/v1/inbound/messages?action=escalated&limit=25')).items;
  },
};

export function renderEscalations(app) {
  replaceContent(
    document.getElementById('escalations'),
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'escalations-title' }, 'Escalated to a person'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'escalations-reload',
          onClick: (e) => reload(e, app),
        },
        'Reload',
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      'The AI did not answer these: they touch a topic your team handles itself, or the AI was not sure what they are about. Each is flagged in Outlook with the category “AI: Needs a person”; open the mailbox in Outlook and answer it there.',
    ),
    app.statusLine('escalations', 'escalations-status'),
    app.hasToken() ? list(app) : null,
  );
}

function list(app) {
  if (escalationList.items.length === 0)
    return h('p', { class: 'muted' }, 'Nothing is waiting for a person.');
  const head = ['Message', 'Why', 'Received', 'Open'].map((name) =>
    h('th', { scope: 'col' }, name),
  );
  return h(
    'table',
    { class: 'stack escalations' },
    h('caption', { class: 'visually-hidden' }, 'Messages escalated to a person'),
    h('thead', {}, h('tr', {}, head)),
    h(
      'tbody',
      {},
      escalationList.items.map((message) => row(app, message)),
    ),
  );
}

function row(app, message) {
  const mailbox = app.state.mailboxes.find((m) => m.id === message.mailboxId);
  return h(
    'tr',
    { id: `escalated-${message.id}` },
    h(
      'td',
      { 'data-label': 'Message' },
      h('strong', {}, message.subject || '(no subject)'),
      h(
        'div',
        { class: 'hint' },
        `From ${message.from ?? 'unknown'}${mailbox ? ` to ${mailbox.email}` : ''}`,
      ),
      message.preview
        ? h(
            'blockquote',
            { class: 'preview', 'aria-label': 'Their message (preview)' },
            message.preview,
          )
        : null,
      message.summary
        ? h(
            'div',
            { class: 'snippet' },
            h('span', { class: 'muted' }, 'AI summary: '),
            message.summary,
          )
        : null,
    ),
    h('td', { 'data-label': 'Why' }, why(message)),
    h('td', { 'data-label': 'Received' }, formatTime(message.receivedAt ?? message.createdAt)),
    h('td', { 'data-label': 'Open' }, openCell(message, mailbox)),
  );
}

/** The message's own Outlook on the web link, or (no link known) where to look for it. */
function openCell(message, mailbox) {
  const own = outlookLink(message.webLink, message.subject);
  if (own) return own;
  return [
    h(
      'a',
      { href: OUTLOOK, target: '_blank', rel: 'noopener noreferrer' },
      'Outlook on the web',
      h(
        'span',
        { class: 'visually-hidden' },
        ` (opens in a new tab; find “${message.subject ?? ''}”)`,
      ),
    ),
    h(
      'div',
      { class: 'hint' },
      `Search for the subject, or the category “AI: Needs a person”${mailbox ? ` in ${mailbox.email}` : ''}.`,
    ),
  ];
}

/** The matched topic in words, or the reason (below the confidence floor). */
function why(message) {
  if (message.escalationTopic)
    return [
      h('span', { class: 'badge warn' }, topicLabel(message.escalationTopic)),
      h('div', { class: 'hint' }, `Topic “${message.escalationTopic}” matched.`),
    ];
  return inboundReason(message.reason) || 'Escalated.';
}

async function reload(event, app) {
  try {
    await busy(event.currentTarget, 'Reloading…', () => escalationList.load(app.api));
    const n = escalationList.items.length;
    app.setStatus('escalations', n === 1 ? '1 message shown.' : `${n} messages shown.`);
  } catch (error) {
    app.setStatus('escalations', `Could not load: ${app.describe(error)}`, 'error-text');
  }
  renderEscalations(app);
  document.getElementById('escalations-reload')?.focus();
}

import { badge, formatTime, h } from './dom.js';
import { MESSAGE_STATUS } from './labels.js';
import { waitingText } from './pace-text.js';
import { messageProblem, SUPPRESSION_REASON } from './reasons.js';

/** The messages as a table (stacked into cards on a phone). */
export function messageTable(app, list) {
  if (!app.hasToken()) return null;
  if (list.items.length === 0) {
    const text = list.status ? 'No message with this status.' : 'No messages sent yet.';
    return h('p', { class: 'muted' }, text);
  }
  const head = ['Subject', 'To', 'From', 'Status', 'Conversation'].map((name) =>
    h('th', { scope: 'col' }, name),
  );
  return h(
    'table',
    { class: 'stack messages' },
    h('caption', { class: 'visually-hidden' }, 'Recent messages'),
    h('thead', {}, h('tr', {}, head)),
    h('tbody', {}, list.items.map(messageRow)),
  );
}

function messageRow(message) {
  return h(
    'tr',
    { id: `message-${message.id}`, tabindex: -1 },
    h(
      'td',
      { 'data-label': 'Subject' },
      message.isReply ? [badge('Reply', 'info'), ' '] : null,
      h('strong', {}, message.subject ?? ''),
      h('div', { class: 'hint' }, `Created ${formatTime(message.createdAt)}`),
    ),
    h('td', { 'data-label': 'To' }, recipients(message)),
    h(
      'td',
      { 'data-label': 'From' },
      message.fromEmail ?? h('span', { class: 'muted' }, 'Not chosen yet'),
    ),
    h('td', { 'data-label': 'Status' }, status(message)),
    h('td', { 'data-label': 'Conversation' }, conversation(message)),
  );
}

function recipients(message) {
  const list = (label, people) =>
    people?.length ? h('div', {}, label, people.map((r) => r.email).join(', ')) : null;
  const left = message.suppressedRecipients ?? [];
  return [
    message.to ? list('', message.to) : `${message.recipientCount} recipients`,
    list('Cc: ', message.cc),
    list('Bcc: ', message.bcc),
    left.length
      ? h(
          'div',
          { class: 'hint' },
          `Left out (suppressed): ${left.map((r) => `${r.email} (${SUPPRESSION_REASON[r.reason]?.[0] ?? r.reason})`).join(', ')}`,
        )
      : null,
  ];
}

function status(message) {
  const [text, tone] = MESSAGE_STATUS[message.status] ?? [message.status, ''];
  const problem = messageProblem(message);
  const lines = [badge(text, tone)];
  if (message.status === 'sent' && message.sentAt)
    lines.push(h('div', { class: 'hint' }, `Sent ${formatTime(message.sentAt)}`));
  // A refusal (errorCode) says what is wrong in its own words; otherwise the wait's reason.
  if (message.status === 'queued' && message.waitingReason && !problem) {
    lines.push(h('div', { class: 'hint waiting' }, `${waitingText(message)}.`));
  } else if (problem && message.status === 'queued') {
    lines.push(
      h(
        'div',
        { class: 'hint' },
        `Waiting: ${sentence(problem)} Next try ${formatTime(message.nextAttemptAt)}.`,
      ),
    );
  } else if (problem) {
    lines.push(h('div', { class: 'hint' }, problem));
  }
  return lines;
}

function conversation(message) {
  if (message.conversationId) return h('code', { class: 'id' }, message.conversationId);
  const text = {
    sent: 'Not known yet (read from Sent Items shortly after sending)',
    queued: 'Known once sent',
    sending: 'Known once sent',
  };
  return h('span', { class: 'muted' }, text[message.status] ?? 'None');
}

function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

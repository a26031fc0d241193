import { formatTime, h, replaceContent } from './dom.js';
import { INBOUND_ACTION, INBOUND_CATEGORY, REPLY_STATUS } from './labels.js';
import { inboundReason } from './reasons.js';

/** What Inbound AI did with the mailbox's latest mail (GET /v1/inbound/messages). */
export function recentMail(app, mailbox) {
  const box = h('div', { id: `inbound-${mailbox.id}-messages` });
  const items = app.ui.inbound.get(mailbox.id);
  replaceContent(box, items ? inboundTable(items) : h('p', { class: 'hint' }, 'Loading…'));
  const reload = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: `inbound-${mailbox.id}-reload`,
      onClick: () => loadRecent(app, mailbox),
    },
    'Reload inbound mail',
  );
  return h('div', {}, box, h('div', { class: 'actions' }, reload));
}

export async function loadRecent(app, mailbox) {
  try {
    const page = await app.api.get(`/v1/inbound/messages?mailboxId=${mailbox.id}&limit=10`);
    app.ui.inbound.set(mailbox.id, page.items);
  } catch (error) {
    app.ui.inbound.set(mailbox.id, { error: app.describe(error) });
  }
  const box = document.getElementById(`inbound-${mailbox.id}-messages`);
  if (box) replaceContent(box, inboundTable(app.ui.inbound.get(mailbox.id)));
}

function inboundTable(items) {
  if (items.error) return h('p', { class: 'error-text' }, items.error);
  if (items.length === 0)
    return h(
      'p',
      { class: 'hint' },
      'No mail processed yet. Only mail received after Inbound AI was turned on is processed.',
    );
  const head = ['Received', 'From', 'Subject', 'Category', 'What AI did'].map((name) =>
    h('th', { scope: 'col' }, name),
  );
  const rows = items.map((message) =>
    h(
      'tr',
      {},
      h('td', { 'data-label': 'Received' }, formatTime(message.receivedAt)),
      h('td', { 'data-label': 'From' }, message.from ?? ''),
      h('td', { 'data-label': 'Subject' }, message.subject ?? ''),
      h('td', { 'data-label': 'Category' }, categoryOf(message)),
      h('td', { 'data-label': 'What AI did' }, whatAiDid(message)),
    ),
  );
  return h(
    'table',
    { class: 'stack' },
    h('caption', { class: 'visually-hidden' }, 'Recent inbound mail'),
    h('thead', {}, h('tr', {}, head)),
    h('tbody', {}, rows),
  );
}

function whatAiDid(message) {
  const reply = !message.action && message.replyStatus ? REPLY_STATUS[message.replyStatus] : null;
  return [
    INBOUND_ACTION[message.action] ?? (reply ? `Reply: ${reply[0]}` : ''),
    message.reason ? h('div', { class: 'hint' }, inboundReason(message.reason)) : null,
  ];
}

function categoryOf(message) {
  if (message.category) return INBOUND_CATEGORY[message.category] ?? message.category;
  return message.status === 'done' ? '—' : 'Processing…';
}

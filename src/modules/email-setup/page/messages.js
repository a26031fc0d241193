import { busy, field, h, replaceContent, select } from './dom.js';
import { messageTable } from './message-rows.js';

const FIRST_PAGE = 10;
const STATUS_FILTER = [
  ['', 'All messages'],
  ['queued', 'Queued (waiting to go out)'],
  ['sending', 'Sending'],
  ['sent', 'Sent'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
];

/** The workspace's messages (`GET /v1/messages`), newest first, filtered, paged by cursor. */
export const messageList = {
  status: '',
  items: [],
  nextCursor: null,

  /** The first page again, as long as what was shown (so Load more is not undone by a reload). */
  async load(api) {
    const limit = Math.min(100, Math.max(FIRST_PAGE, this.items.length));
    const page = await api.get(this.path(limit));
    this.items = page.items;
    this.nextCursor = page.nextCursor;
  },

  async more(api) {
    const page = await api.get(
      `${this.path(FIRST_PAGE)}&cursor=${encodeURIComponent(this.nextCursor)}`,
    );
    const seen = new Set(this.items.map((m) => m.id));
    this.items.push(...page.items.filter((m) => !seen.has(m.id)));
    this.nextCursor = page.nextCursor;
  },

  path(limit) {
    const status = this.status ? `&status=${encodeURIComponent(this.status)}` : '';
    return `/v1/messages?limit=${limit}${status}`;
  },
};

export function renderMessages(app) {
  const section = document.getElementById('messages');
  if (!section.firstChild) replaceContent(section, ...frame(app));
  replaceContent(document.getElementById('messages-recent'), messageTable(app, messageList));
  replaceContent(document.getElementById('messages-more'), moreButton(app));
}

function frame(app) {
  const filter = select(STATUS_FILTER, messageList.status, {
    onChange: () => refilter(app, filter.value),
  });
  return [
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'messages-title' }, 'Recent messages'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'messages-reload',
          onClick: (e) => reload(e, app),
        },
        'Reload messages',
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      'What was sent through your sender profiles, newest first: who it went to, from which address, and why a message waits or failed. Once Microsoft has filed a sent message, its conversation id identifies the thread replies arrive in.',
    ),
    h('div', { class: 'filters' }, field('messages-status', 'Show', filter)),
    h('p', { class: 'inline-status', role: 'status', tabindex: -1, id: 'messages-status-line' }),
    h('div', { id: 'messages-recent' }),
    h('div', { id: 'messages-more' }),
  ];
}

async function refilter(app, status) {
  messageList.status = status;
  messageList.items = [];
  await show(app, () => messageList.load(app.api));
  const label = STATUS_FILTER.find(([value]) => value === status)?.[1] ?? status;
  statusLine(`${label}: ${count(messageList.items.length)} shown.`);
}

async function reload(event, app) {
  await busy(event.currentTarget, 'Reloading…', () => show(app, () => messageList.load(app.api)));
}

async function more(event, app) {
  const before = messageList.items.length;
  await busy(event.currentTarget, 'Loading…', () => show(app, () => messageList.more(app.api)));
  const added = messageList.items.length - before;
  statusLine(`${added} more loaded (${count(messageList.items.length)} shown).`);
  // Keyboard users go on from the first newly shown message.
  document.getElementById(`message-${messageList.items[before]?.id}`)?.focus();
}

async function show(app, work) {
  try {
    await work();
    statusLine('');
  } catch (error) {
    statusLine(`Could not load messages: ${app.describe(error)}`, 'error-text');
  }
  renderMessages(app);
}

function statusLine(text, tone = '') {
  const line = document.getElementById('messages-status-line');
  line.className = `inline-status ${tone}`.trim();
  line.textContent = text;
}

function count(n) {
  return n === 1 ? '1 message' : `${n} messages`;
}

function moreButton(app) {
  if (!messageList.nextCursor) return null;
  return h(
    'button',
    { type: 'button', class: 'secondary', id: 'messages-load-more', onClick: (e) => more(e, app) },
    'Load more messages',
  );
}

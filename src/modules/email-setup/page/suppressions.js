import { badge, busy, formatTime, h, replaceContent } from './dom.js';
import { addForm } from './suppression-form.js';
import { SUPPRESSION_REASON } from './reasons.js';

const PAGE = 25;

/** The workspace's suppression list (`/v1/suppressions`), paged by cursor. */
export const suppressionList = {
  items: [],
  nextCursor: null,

  async load(api) {
    const limit = Math.min(100, Math.max(PAGE, this.items.length));
    const page = await api.get(`/v1/suppressions?limit=${limit}`);
    this.items = page.items;
    this.nextCursor = page.nextCursor;
  },

  async more(api) {
    const cursor = encodeURIComponent(this.nextCursor);
    const page = await api.get(`/v1/suppressions?limit=${PAGE}&cursor=${cursor}`);
    const seen = new Set(this.items.map((s) => s.id));
    this.items.push(...page.items.filter((s) => !seen.has(s.id)));
    this.nextCursor = page.nextCursor;
  },
};

/** Addresses never written to again: bounces, unsubscribes, complaints, and hand-added ones. */
export function renderSuppressions(app) {
  replaceContent(
    document.getElementById('suppressions'),
    h('h2', { id: 'suppressions-title' }, 'Suppression list'),
    h(
      'p',
      { class: 'hint' },
      'ScendCore never writes to these addresses: a message to them leaves them out (and is not sent when nobody else is left). Hard bounces, unsubscribe requests and complaints in incoming mail are added automatically.',
    ),
    app.statusLine('suppressions', 'suppressions-status'),
    app.disclosure('suppression-new', '+ Add an address', addForm(app, after), () =>
      document.getElementById('suppression-email')?.focus(),
    ),
    app.hasToken() ? listView(app) : null,
  );
}

function listView(app) {
  if (suppressionList.items.length === 0)
    return h('p', { class: 'muted' }, 'No address is suppressed.');
  const head = ['Address', 'Reason', 'Added', 'Actions'].map((name) =>
    h('th', { scope: 'col' }, name),
  );
  return [
    h(
      'table',
      { class: 'stack' },
      h('caption', { class: 'visually-hidden' }, 'Suppressed addresses'),
      h('thead', {}, h('tr', {}, head)),
      h(
        'tbody',
        {},
        suppressionList.items.map((entry) => row(app, entry)),
      ),
    ),
    suppressionList.nextCursor
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'suppressions-load-more',
            onClick: (event) => more(event, app),
          },
          'Load more addresses',
        )
      : null,
  ];
}

function row(app, entry) {
  const [label, meaning] = SUPPRESSION_REASON[entry.reason] ?? [entry.reason, ''];
  return h(
    'tr',
    { id: `suppression-${entry.id}`, tabindex: -1 },
    h('td', { 'data-label': 'Address' }, h('strong', {}, entry.email)),
    h(
      'td',
      { 'data-label': 'Reason' },
      badge(label, entry.reason === 'manual' ? '' : 'warn'),
      h('div', { class: 'hint' }, meaning),
      entry.note ? h('div', { class: 'hint' }, `Note: ${entry.note}`) : null,
    ),
    h(
      'td',
      { 'data-label': 'Added' },
      formatTime(entry.createdAt),
      h('div', { class: 'hint' }, sourceText(entry.source)),
    ),
    h(
      'td',
      { 'data-label': 'Actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: `remove-suppression-${entry.id}`,
          'aria-label': `Remove ${entry.email} from the suppression list`,
          onClick: () => remove(app, entry),
        },
        'Remove',
      ),
    ),
  );
}

function sourceText(source) {
  if (source?.startsWith('inbound:')) return 'Found in incoming mail';
  return 'Added on this page or through the API';
}

async function more(event, app) {
  const before = suppressionList.items.length;
  try {
    await busy(event.currentTarget, 'Loading…', () => suppressionList.more(app.api));
  } catch (error) {
    app.setStatus('suppressions', `Could not load more: ${app.describe(error)}`, 'error-text');
  }
  renderSuppressions(app);
  document.getElementById(`suppression-${suppressionList.items[before]?.id}`)?.focus();
}

async function remove(app, entry) {
  const yes = await app.confirm({
    title: `Remove ${entry.email} from the suppression list?`,
    text: 'ScendCore may write to this address again (messages that already left it out stay as they are). Only do this if the person agreed to hear from you.',
    confirmLabel: 'Remove',
  });
  if (!yes) {
    document.getElementById(`remove-suppression-${entry.id}`)?.focus();
    return;
  }
  try {
    await app.api.delete(`/v1/suppressions/${entry.id}`);
    app.setStatus('suppressions', `Removed ${entry.email}. It may be written to again.`);
  } catch (error) {
    app.setStatus(
      'suppressions',
      `Could not remove ${entry.email}: ${app.describe(error)}`,
      'error-text',
    );
  }
  await after(app);
}

async function after(app) {
  await app.reload();
  document.getElementById('suppressions-status')?.focus();
}

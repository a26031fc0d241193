import { renderAccess } from './access.js';
import { ApiError, createApi } from './api.js';
import { renderConnect, startConnect } from './connect.js';
import { escalationList, renderEscalations } from './escalations.js';
import { confirmAction } from './dialog.js';
import { announce, h } from './dom.js';
import { renderHelp } from './help.js';
import { renderMailboxes } from './mailboxes.js';
import { messageList, renderMessages } from './messages.js';
import { callbackNotice, renderNotices, takeCallbackResult } from './notices.js';
import { renderOrganizations } from './organizations.js';
import { renderProfiles } from './profiles.js';
import { renderReplies } from './replies.js';
import { replyList } from './reply-list.js';
import { tickTimeLeft } from './reply-actions.js';
import { renderSandbox } from './sandbox.js';
import { renderSend } from './send.js';
import { demoToken, session } from './session.js';
import { renderSuppressions, suppressionList } from './suppressions.js';

const api = createApi(() => session.token());

/** What every part of the page shares: the API, the loaded data and small bits of UI state. */
const app = {
  api,
  session,
  state: { sandbox: null, mailboxes: [], profiles: [], organizations: [] },
  ui: {
    notices: [],
    open: new Set(),
    inbound: new Map(),
    policies: new Map(),
    replyEdits: new Map(),
    status: null,
  },
  announce,
  confirm: confirmAction,
  hasToken: () => Boolean(session.token()),
  describe: (error) =>
    error instanceof ApiError ? error.describe() : (error?.message ?? String(error)),
  connect: (loginHint) => startConnect(app, loginHint),
  /** The outcome of the last action, shown where it happened (`place`) until the next one. */
  setStatus(place, text, tone = '') {
    app.ui.status = { place, text, tone };
    announce(text);
  },
  statusLine(place, id) {
    const status = app.ui.status?.place === place ? app.ui.status : null;
    const props = {
      class: `inline-status ${status?.tone ?? ''}`,
      role: 'status',
      tabindex: -1,
      id,
    };
    return h('p', props, status?.text ?? '');
  },
  notify(notice) {
    app.ui.notices.unshift(notice);
    renderNotices(app);
    document.getElementById('notice-0')?.focus();
  },
  disclosure(id, summary, content, onOpen) {
    const details = h(
      'details',
      { id, open: app.ui.open.has(id) },
      h('summary', { id: `${id}-summary` }, summary),
      content,
    );
    details.addEventListener('toggle', () => {
      if (!details.open) return app.ui.open.delete(id);
      app.ui.open.add(id);
      onOpen?.();
    });
    return details;
  },
  renderReplies: () => renderReplies(app),
  async reload() {
    await load();
    renderAll();
  },
};

async function load() {
  if (!app.hasToken()) return;
  try {
    await fetchAll();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401 && app.state.sandbox))
      return loadFailed(error);
    await demoToken(api);
    await fetchAll().catch(loadFailed);
  }
}

async function fetchAll() {
  const [mailboxes, profiles, organizations] = await Promise.all([
    api.listAll('/v1/mailboxes'),
    api.listAll('/v1/sender-profiles'),
    api.listAll('/v1/organizations'),
    messageList.load(api),
    suppressionList.load(api),
    replyList.load(api),
    escalationList.load(api),
  ]);
  Object.assign(app.state, { mailboxes, profiles, organizations });
  await Promise.all(mailboxes.map(loadPolicy));
}

/** Each mailbox's AI reply guard rails; one that fails says so in its form. */
async function loadPolicy(mailbox) {
  try {
    const policy = await api.get(`/v1/inbound/mailboxes/${mailbox.id}/reply-policy`);
    app.ui.policies.set(mailbox.id, policy);
  } catch (error) {
    app.ui.policies.set(mailbox.id, { error: app.describe(error) });
  }
}

function loadFailed(error) {
  const refused = error instanceof ApiError && [401, 403].includes(error.status);
  const title = refused ? 'The access token was refused' : 'The page could not load your data';
  app.ui.notices.unshift({
    tone: 'bad',
    title,
    text: app.describe(error),
    fix: refused
      ? 'Paste a valid ScendCore token under ScendCore access.'
      : 'Reload the page; if it persists, the service may be down.',
  });
}

function renderAll() {
  renderSandbox(app);
  renderNotices(app);
  renderAccess(app);
  renderConnect(app);
  renderMailboxes(app);
  renderReplies(app);
  renderEscalations(app);
  renderOrganizations(app);
  renderProfiles(app);
  renderSend(app);
  renderMessages(app);
  renderSuppressions(app);
}

async function loadSandboxInfo() {
  const res = await fetch('/email-setup/sandbox.json', { headers: { accept: 'application/json' } });
  return res.ok ? res.json() : null;
}

async function boot() {
  const result = takeCallbackResult();
  renderHelp();
  app.state.sandbox = await loadSandboxInfo().catch(() => null);
  if (!app.hasToken() && app.state.sandbox) await demoToken(api).catch(loadFailed);
  await load();
  const notice = callbackNotice(app, result);
  if (notice) app.ui.notices.unshift(notice);
  renderAll();
  if (notice) document.getElementById('notice-0')?.focus();
  document.body.dataset.ready = 'true';
  setInterval(tickTimeLeft, 1000);
}

boot();

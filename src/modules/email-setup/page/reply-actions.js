import { busy } from './dom.js';
import { REPLY_STATUS } from './labels.js';
import { replyList } from './reply-list.js';

const FOLLOW_MS = 1000;
const FOLLOW_TRIES = 60;

/** Approve a draft (`text` null: as the AI wrote it); it is then followed until it is sent. */
export async function approve(event, app, reply, text) {
  const body = text === null ? {} : { text };
  const who = reply.to ?? 'the sender';
  try {
    const answer = await busy(event.currentTarget, 'Approving…', () =>
      app.api.post(`/v1/inbound/replies/${reply.id}/approve`, body),
    );
    app.ui.replyEdits.delete(reply.id);
    remember(answer);
    const edited = text === null ? '' : ' with your edit';
    app.setStatus('replies', `Approved${edited}: the reply to ${who} is being sent.`);
    follow(app, answer.id);
  } catch (error) {
    refused(app, error, `The reply to ${who} was not approved`);
  }
  await after(app);
}

export async function discard(app, reply) {
  const who = reply.to ?? 'the sender';
  const yes = await app.confirm({
    title: `Discard the reply to ${who}?`,
    text: 'The draft is deleted and nothing is sent. The message stays in the inbox for a person to answer.',
    confirmLabel: 'Discard reply',
  });
  if (!yes) return document.getElementById(`reply-${reply.id}-discard`)?.focus();
  try {
    remember(await app.api.post(`/v1/inbound/replies/${reply.id}/discard`));
    app.ui.replyEdits.delete(reply.id);
    app.setStatus('replies', `Discarded: nothing was sent to ${who}.`);
  } catch (error) {
    refused(app, error, `The reply to ${who} was not discarded`);
  }
  await after(app);
}

export async function cancel(event, app, reply) {
  const who = reply.to ?? 'the sender';
  try {
    remember(
      await busy(event.currentTarget, 'Cancelling…', () =>
        app.api.post(`/v1/inbound/replies/${reply.id}/cancel`),
      ),
    );
    app.setStatus('replies', `Cancelled: the reply to ${who} will not be sent.`);
  } catch (error) {
    refused(app, error, `The reply to ${who} was not cancelled`);
  }
  await after(app);
}

/** "Sends in 4 min 10 s (at 14:05)"; kept current by `tickTimeLeft`. */
export function timeLeft(sendAt) {
  if (!sendAt) return 'Waiting to be sent';
  const ms = new Date(sendAt).getTime() - Date.now();
  const at = new Date(sendAt).toLocaleTimeString(undefined, { timeStyle: 'short' });
  if (ms <= 0) return `Due now (at ${at}): sending when the mailbox can`;
  return `Sends in ${duration(Math.ceil(ms / 1000))} (at ${at})`;
}

function duration(s) {
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}

export function tickTimeLeft() {
  for (const node of document.querySelectorAll('[data-send-at]')) {
    node.textContent = timeLeft(node.dataset.sendAt);
  }
}

/** 409: someone (another tab, person or instance) got there first; the list is refreshed. */
function refused(app, error, what) {
  if (error.status === 409) {
    const status = error.details?.[0]?.message;
    const now = REPLY_STATUS[status]?.[0]?.toLowerCase() ?? status ?? 'handled';
    app.setStatus(
      'replies',
      `${what}: it was already handled elsewhere (now ${now}). The list is refreshed.`,
      'error-text',
    );
    return;
  }
  app.setStatus('replies', `${what}: ${app.describe(error)}`, 'error-text');
}

function remember(reply) {
  replyList.decided = [reply, ...replyList.decided.filter((r) => r.id !== reply.id)].slice(0, 10);
}

/** Looks at an approved reply until it is sent (or failed), showing each new status. */
async function follow(app, id) {
  for (let i = 0; i < FOLLOW_TRIES; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
    const reply = await app.api.get(`/v1/inbound/replies/${id}`).catch(() => null);
    if (!reply) continue;
    const before = replyList.decided.find((r) => r.id === id)?.status;
    remember(reply);
    if (reply.status !== before) app.renderReplies();
    if (reply.status === 'sent')
      return app.announce(`The reply to ${reply.to ?? 'the sender'} was sent.`);
    if (['failed', 'discarded', 'cancelled'].includes(reply.status)) return;
  }
}

async function after(app) {
  await app.reload();
  document.getElementById('replies-status')?.focus();
}

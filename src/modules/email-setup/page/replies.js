import { badge, busy, formatTime, h, replaceContent } from './dom.js';
import { REPLY_STATUS } from './labels.js';
import { answered } from './answered-message.js';
import { approve, discard } from './reply-actions.js';
import { replyList } from './reply-list.js';
import { scheduledList } from './scheduled-replies.js';

/** Replies awaiting review, Scheduled replies, and the ones decided on this page. */
export function renderReplies(app) {
  replaceContent(
    document.getElementById('replies'),
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'replies-title' }, 'Replies awaiting review'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'replies-reload',
          onClick: (e) => reload(e, app),
        },
        'Reload replies',
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      'Mailboxes set to Review first keep each AI reply as a draft in Outlook until someone here approves it (as written or edited) or discards it. Nothing is sent before that.',
    ),
    app.statusLine('replies', 'replies-status'),
    app.hasToken() ? drafts(app) : null,
    decidedList(),
    h('h3', { id: 'scheduled-title' }, 'Scheduled replies'),
    h(
      'p',
      { class: 'hint' },
      'Mailboxes set to Send after a delay: each reply goes out when its undo window ends, unless someone cancels it.',
    ),
    app.hasToken() ? scheduledList(app) : null,
  );
}

function drafts(app) {
  if (replyList.review.length === 0)
    return h('p', { class: 'muted', id: 'replies-empty' }, 'No reply is waiting for review.');
  return h(
    'ul',
    { class: 'reply-list', 'aria-labelledby': 'replies-title' },
    replyList.review.map((reply) => h('li', {}, draftCard(app, reply))),
  );
}

function draftCard(app, reply) {
  const id = `reply-${reply.id}`;
  const edits = app.ui.replyEdits;
  const text = h('textarea', { id: `${id}-text`, rows: 6, maxlength: 5000 });
  text.value = edits.get(reply.id) ?? reply.text ?? '';
  const approveButton = h(
    'button',
    { type: 'button', id: `${id}-approve`, onClick: (e) => approve(e, app, reply, null) },
    'Approve and send',
  );
  const editButton = h(
    'button',
    {
      type: 'button',
      id: `${id}-approve-edit`,
      onClick: (e) => approve(e, app, reply, text.value),
    },
    'Save edit and approve',
  );
  const hint = h('p', { class: 'hint', id: `${id}-text-hint` });
  const sync = () => {
    const changed = text.value !== (reply.text ?? '');
    if (changed) edits.set(reply.id, text.value);
    else edits.delete(reply.id);
    approveButton.disabled = changed;
    editButton.disabled = !changed;
    hint.textContent = changed
      ? 'You changed the text: Save edit and approve sends your version.'
      : 'Edit the text to change what is sent.';
  };
  text.addEventListener('input', sync);
  text.setAttribute('aria-describedby', hint.id);
  sync();
  return h(
    'article',
    { class: 'reply card', id, 'aria-labelledby': `${id}-title`, tabindex: -1 },
    answered(app, reply, `${id}-title`),
    h(
      'div',
      { class: 'field' },
      h('label', { for: text.id }, `Reply to ${reply.to ?? 'the sender'}`),
      text,
      hint,
    ),
    h(
      'div',
      { class: 'actions' },
      approveButton,
      editButton,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: `${id}-discard`,
          onClick: () => discard(app, reply),
        },
        'Discard',
      ),
    ),
  );
}

/** Replies decided on this page, with their status as it moves on (approved → sent). */
function decidedList() {
  if (replyList.decided.length === 0) return null;
  return h(
    'div',
    { class: 'decided' },
    h('h3', { id: 'decided-title' }, 'Decided just now'),
    h(
      'ul',
      { 'aria-labelledby': 'decided-title' },
      replyList.decided.map((reply) => {
        const [label, tone] = REPLY_STATUS[reply.status] ?? [reply.status, ''];
        return h(
          'li',
          { id: `decided-${reply.id}` },
          h('span', {}, `${reply.subject ?? '(no subject)'} → ${reply.to ?? ''} `),
          badge(label, tone),
          reply.sentAt ? h('span', { class: 'hint' }, ` ${formatTime(reply.sentAt)}`) : null,
        );
      }),
    ),
  );
}

async function reload(event, app) {
  try {
    await busy(event.currentTarget, 'Reloading…', () => replyList.load(app.api));
    const n = replyList.review.length + replyList.scheduled.length;
    app.setStatus('replies', n === 1 ? '1 reply shown.' : `${n} replies shown.`);
  } catch (error) {
    app.setStatus('replies', `Could not load the replies: ${app.describe(error)}`, 'error-text');
  }
  renderReplies(app);
  document.getElementById('replies-reload')?.focus();
}

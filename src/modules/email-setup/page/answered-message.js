import { formatTime, h } from './dom.js';
import { replyList } from './reply-list.js';

/** The message the reply answers: sender, subject, mailbox, when, and what it says. */
export function answered(app, reply, titleId) {
  const message = replyList.messages.get(reply.id);
  const mailbox = app.state.mailboxes.find((m) => m.id === reply.mailboxId);
  return [
    h('h3', { id: titleId }, reply.subject || '(no subject)'),
    h(
      'p',
      { class: 'meta' },
      `From ${message?.from ?? reply.to ?? 'unknown'}`,
      mailbox ? ` to ${mailbox.email}` : '',
      message?.receivedAt ? ` · received ${formatTime(message.receivedAt)}` : '',
    ),
    message?.summary
      ? h('p', { class: 'snippet' }, h('span', { class: 'muted' }, 'AI summary: '), message.summary)
      : null,
  ];
}

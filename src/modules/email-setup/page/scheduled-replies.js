import { h } from './dom.js';
import { answered } from './answered-message.js';
import { inboundReason } from './reasons.js';
import { cancel, timeLeft } from './reply-actions.js';
import { replyList } from './reply-list.js';

/** Replies in their undo window (Send after a delay): time left, the text, Cancel reply. */
export function scheduledList(app) {
  if (replyList.scheduled.length === 0)
    return h('p', { class: 'muted', id: 'scheduled-empty' }, 'No reply is scheduled.');
  return h(
    'ul',
    { class: 'reply-list', 'aria-labelledby': 'scheduled-title' },
    replyList.scheduled.map((reply) => {
      const id = `reply-${reply.id}`;
      return h(
        'li',
        {},
        h(
          'article',
          { class: 'reply card', id, 'aria-labelledby': `${id}-title`, tabindex: -1 },
          answered(app, reply, `${id}-title`),
          h(
            'p',
            {},
            h('strong', { class: 'left', 'data-send-at': reply.sendAt }, timeLeft(reply.sendAt)),
          ),
          reply.reason ? h('p', { class: 'hint' }, inboundReason(reply.reason)) : null,
          h('blockquote', { class: 'reply-text' }, reply.text ?? ''),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                id: `${id}-cancel`,
                'aria-label': `Cancel reply to ${reply.to ?? 'the sender'}: ${reply.subject ?? ''}`,
                onClick: (e) => cancel(e, app, reply),
              },
              'Cancel reply',
            ),
          ),
        ),
      );
    }),
  );
}

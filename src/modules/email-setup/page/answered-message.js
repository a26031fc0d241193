import { formatTime, h } from './dom.js';

/**
 * The message the reply answers, from the reply itself (`GET /v1/inbound/replies` carries its
 * sender, subject, Graph's preview and Outlook on the web link): sender, subject, mailbox, when,
 * what it says, and a link to open it in Outlook.
 */
export function answered(app, reply, titleId) {
  const mailbox = app.state.mailboxes.find((m) => m.id === reply.mailboxId);
  const sender = reply.from ?? reply.to;
  return [
    h('h3', { id: titleId }, reply.subject || '(no subject)'),
    h(
      'p',
      { class: 'meta' },
      `From ${reply.fromName && sender ? `${reply.fromName} <${sender}>` : (sender ?? 'unknown')}`,
      mailbox ? ` to ${mailbox.email}` : '',
      reply.receivedAt ? ` · received ${formatTime(reply.receivedAt)}` : '',
    ),
    reply.preview
      ? h(
          'blockquote',
          { class: 'preview', 'aria-label': 'Their message (preview)' },
          reply.preview,
        )
      : null,
    reply.summary
      ? h('p', { class: 'snippet' }, h('span', { class: 'muted' }, 'AI summary: '), reply.summary)
      : null,
    outlookLink(reply.webLink, reply.subject),
  ];
}

/** "Open in Outlook" for a Graph webLink (https only; nothing for a missing one). */
export function outlookLink(webLink, subject) {
  if (typeof webLink !== 'string' || !webLink.startsWith('https://')) return null;
  return h(
    'p',
    { class: 'open-in-outlook' },
    h(
      'a',
      { href: webLink, target: '_blank', rel: 'noopener noreferrer' },
      'Open in Outlook',
      h(
        'span',
        { class: 'visually-hidden' },
        ` (“${subject || 'no subject'}”, opens in a new tab)`,
      ),
    ),
  );
}

import { badge, formatTime, h, replaceContent } from './dom.js';
import { identityTable } from './identities.js';
import { disconnect, nextStep, refresh } from './mailbox-actions.js';
import { sendAsForm } from './send-as.js';
import { inboundSettings } from './inbound.js';
import { CONNECTION_TYPE, MAILBOX_STATUS, PROVIDER } from './labels.js';
import { ACTION_LABEL, mailboxStatus, scanProblem } from './reasons.js';

export function renderMailboxes(app) {
  const { mailboxes } = app.state;
  const empty = h(
    'p',
    { class: 'muted' },
    app.hasToken()
      ? 'No mailbox is connected yet: use Connect Microsoft above.'
      : 'Add an access token to see your mailboxes.',
  );
  replaceContent(
    document.getElementById('mailboxes'),
    h('h2', { id: 'mailboxes-title' }, 'Connected Mailboxes'),
    mailboxes.length === 0 ? empty : mailboxes.map((mailbox) => mailboxCard(app, mailbox)),
  );
}

function mailboxCard(app, mailbox) {
  const id = mailbox.id;
  return h(
    'article',
    { class: 'card', id: `mailbox-${id}`, 'aria-labelledby': `mailbox-${id}-title` },
    h(
      'div',
      { class: 'card-head' },
      h(
        'div',
        {},
        h('h3', { id: `mailbox-${id}-title` }, mailbox.email),
        mailbox.displayName ? h('p', { class: 'muted' }, mailbox.displayName) : null,
        badges(mailbox),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: `refresh-${id}`,
            'aria-label': `Refresh ${mailbox.email}`,
            onClick: (e) => refresh(e, app, mailbox),
          },
          'Refresh',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: `disconnect-${id}`,
            'aria-label': `Disconnect ${mailbox.email}`,
            onClick: () => disconnect(app, mailbox),
          },
          'Disconnect',
        ),
      ),
    ),
    statusLine(app, mailbox),
    scanLine(mailbox),
    app.statusLine(`mailbox:${id}`, `mailbox-${id}-status`),
    identityTable(app, mailbox),
    sendAsForm(app, mailbox),
    inboundSettings(app, mailbox),
  );
}

function badges(mailbox) {
  const [status, tone] = MAILBOX_STATUS[mailbox.status] ?? [mailbox.status, ''];
  const inbound = mailbox.inbound?.enabled ? badge('Inbound AI on', 'info') : null;
  return h(
    'p',
    { class: 'badges' },
    badge(PROVIDER[mailbox.provider] ?? mailbox.provider, 'info'),
    badge(CONNECTION_TYPE[mailbox.connectionType] ?? mailbox.connectionType),
    h(
      'span',
      { class: `badge ${tone}`, id: `mailbox-${mailbox.id}-badge` },
      h('span', { class: 'visually-hidden' }, 'Status: '),
      status,
    ),
    inbound,
  );
}

function statusLine(app, mailbox) {
  const { message, action } = mailboxStatus(mailbox);
  if (!message) return null;
  const label = ACTION_LABEL[action];
  const button = label
    ? h(
        'button',
        {
          type: 'button',
          id: `next-${mailbox.id}`,
          onClick: (e) => nextStep(e, app, mailbox, action),
        },
        label,
      )
    : null;
  const tone = mailbox.status === 'active' ? 'warn' : 'bad';
  return h(
    'div',
    { class: `notice ${tone}` },
    h('p', {}, message),
    button ? h('div', { class: 'actions' }, button) : null,
  );
}

function scanLine(mailbox) {
  const problem = scanProblem(mailbox);
  if (problem) return h('p', { class: 'error-text' }, problem);
  if (!mailbox.identitiesScannedAt)
    return h('p', { class: 'hint' }, 'Identities not checked yet: Refresh asks Microsoft now.');
  return h(
    'p',
    { class: 'hint' },
    `Connected ${formatTime(mailbox.connectedAt)} · identities checked ${formatTime(mailbox.identitiesScannedAt)}`,
  );
}

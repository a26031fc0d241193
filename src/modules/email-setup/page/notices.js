import { h, replaceContent } from './dom.js';
import { explainCallbackError } from './callback-errors.js';

/**
 * What Microsoft's callbacks brought back (`?connected=`, `?organization=`, `?error=`): read
 * once, then taken out of the address so a reload does not repeat it.
 */
export function takeCallbackResult() {
  const query = new URLSearchParams(location.search);
  const result = {
    connected: query.get('connected'),
    organization: query.get('organization'),
    error: query.get('error'),
    flow: query.get('flow'),
  };
  if (location.search) history.replaceState(null, '', location.pathname);
  return result;
}

/** Turns the callback result into a notice once the mailboxes are loaded. */
export function callbackNotice(app, result) {
  if (result.error) {
    const help = explainCallbackError(result.error, result.flow);
    return { tone: 'bad', code: result.error, ...help };
  }
  if (result.connected) return connectedNotice(app, result.connected);
  if (result.organization) {
    const organization = app.state.organizations.find((o) => o.id === result.organization);
    const name = organization?.domain ?? organization?.tenantId ?? 'admin consent granted';
    return {
      tone: 'ok',
      title: `Organization connected: ${name}`,
      text: 'Its users and shared mailboxes are under Connected Mailboxes as they are found.',
    };
  }
  return null;
}

function connectedNotice(app, mailboxId) {
  const mailbox = app.state.mailboxes.find((candidate) => candidate.id === mailboxId);
  const none = mailbox?.identities.length === 0 ? ' No identities yet? Click Refresh on it.' : '';
  return {
    tone: 'ok',
    title: `Connected ${mailbox?.email ?? 'the mailbox'}`,
    text: `It is under Connected Mailboxes with its identities. Assign one to a sender profile to send from it.${none}`,
  };
}

export function renderNotices(app) {
  const container = document.getElementById('notices');
  replaceContent(
    container,
    app.ui.notices.map((notice, index) => noticeBox(app, notice, index)),
  );
}

function noticeBox(app, notice, index) {
  const role = notice.tone === 'bad' ? 'alert' : 'status';
  return h(
    'div',
    {
      class: `notice ${notice.tone}`,
      id: `notice-${index}`,
      role,
      tabindex: -1,
      'data-code': notice.code,
    },
    h('h2', {}, notice.title),
    notice.text ? h('p', {}, notice.text) : null,
    notice.fix ? h('p', {}, h('strong', {}, 'What to do: '), notice.fix) : null,
    h(
      'div',
      { class: 'actions' },
      nextButton(notice),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => dismiss(app, index) },
        'Dismiss',
      ),
    ),
  );
}

/** The notice's way on: the button that starts over. */
function nextButton(notice) {
  const click = (id) => () => document.getElementById(id)?.click();
  if (notice.next === 'connect') {
    return h(
      'button',
      { type: 'button', onClick: click('connect-microsoft') },
      'Connect Microsoft again',
    );
  }
  if (notice.next === 'admin_consent') {
    return h(
      'button',
      { type: 'button', onClick: click('consent-create') },
      'Create an admin consent link',
    );
  }
  return null;
}

function dismiss(app, index) {
  app.ui.notices.splice(index, 1);
  renderNotices(app);
  document.getElementById('main').focus();
}

import { busy, field, h, replaceContent } from './dom.js';
import { demoToken, session } from './session.js';

/** The ScendCore bearer token: pasted, or in sandbox mode a demo token. */
export function renderAccess(app) {
  const section = document.getElementById('access');
  const claims = session.claims();
  const who = claims
    ? h(
        'p',
        { id: 'access-who' },
        'Calling the API as user ',
        h('strong', {}, claims.sub ?? '?'),
        workspaceOf(claims),
      )
    : h(
        'p',
        { id: 'access-who', class: 'error-text' },
        'No access token yet: the page cannot load your mailboxes.',
      );
  const input = h('textarea', { rows: 3, autocomplete: 'off', spellcheck: 'false' });
  const form = h(
    'form',
    { onSubmit: (event) => useToken(event, app, input) },
    field(
      'access-token',
      'Bearer token',
      input,
      'A ScendCore JWT for your user and workspace; kept in this browser tab only.',
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'access-use' }, 'Use this token'),
    ),
  );
  const demo = app.state.sandbox
    ? h(
        'button',
        { type: 'button', class: 'secondary', id: 'access-demo', onClick: (e) => newDemo(e, app) },
        'Get a new demo token',
      )
    : null;
  replaceContent(
    section,
    h('h2', { id: 'access-title' }, 'ScendCore access'),
    who,
    h(
      'details',
      { open: !claims },
      h('summary', {}, 'Change the access token'),
      h('div', {}, form, demo),
    ),
  );
}

function workspaceOf(claims) {
  const workspace = claims.wid ?? claims.workspaceId;
  return workspace ? [' in workspace ', h('strong', {}, workspace), '.'] : '.';
}

async function useToken(event, app, input) {
  event.preventDefault();
  session.set(input.value.trim());
  app.announce('Access token saved.');
  await app.reload();
}

async function newDemo(event, app) {
  await busy(event.currentTarget, 'Getting a token…', () => demoToken(app.api));
  app.announce('New demo token in use.');
  await app.reload();
}

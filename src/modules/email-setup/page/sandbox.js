import { h, replaceContent } from './dom.js';

/** Sandbox mode's banner: the emulator, its accounts and where its control API is. */
export function renderSandbox(app) {
  const aside = document.getElementById('sandbox');
  const info = app.state.sandbox;
  if (!info) {
    aside.hidden = true;
    return;
  }
  aside.hidden = false;
  replaceContent(
    aside,
    h('h2', { id: 'sandbox-title' }, 'Sandbox mode'),
    h(
      'p',
      {},
      'Microsoft 365 is the built-in emulator: sign-in, Graph and mail are simulated on this machine and nothing reaches real mailboxes. The page uses a demo ScendCore token.',
    ),
    h('p', {}, 'On the emulator’s sign-in page, pick one of these accounts:'),
    h(
      'ul',
      {},
      info.accounts.map((account) =>
        h('li', {}, h('strong', {}, account.address), ` — ${account.description}`),
      ),
    ),
    h(
      'p',
      {},
      'Change the emulated Microsoft 365 (add an alias, grant Send As, deliver mail, inject a fault) with its control API at ',
      h('code', {}, info.controlApiUrl),
      ' — README, “The emulator’s control API”. Its HTTPS certificate is self-signed.',
    ),
  );
}

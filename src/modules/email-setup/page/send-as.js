import { busy, field, h } from './dom.js';

/** "+ Add Send As Address": an address the mailbox may send as (such as a shared mailbox). */
export function sendAsForm(app, mailbox) {
  const email = h('input', { type: 'email', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const form = h(
    'form',
    { onSubmit: (event) => addSendAs(event, app, mailbox, email, name) },
    h(
      'p',
      { class: 'hint' },
      'Your Exchange admin must have granted this mailbox Send As on the address. Verify then checks it with a test message.',
    ),
    field(`sendas-${mailbox.id}-email`, 'Email address', email),
    field(`sendas-${mailbox.id}-name`, 'Display name (optional)', name),
    h('button', { type: 'submit', id: `sendas-${mailbox.id}-add` }, 'Add address'),
  );
  return app.disclosure(`sendas-${mailbox.id}`, '+ Add Send As Address', form);
}

async function addSendAs(event, app, mailbox, email, name) {
  event.preventDefault();
  const body = { email: email.value.trim() };
  if (name.value.trim()) body.displayName = name.value.trim();
  try {
    await busy(event.submitter, 'Adding…', () =>
      app.api.post(`/v1/mailboxes/${mailbox.id}/send-as`, body),
    );
    app.ui.open.delete(`sendas-${mailbox.id}`);
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Added ${body.email}. Verify it to check that Microsoft lets ${mailbox.email} send as it.`,
    );
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Could not add ${body.email}: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
  const input = document.getElementById(`sendas-${mailbox.id}-email`);
  if (input && app.ui.open.has(`sendas-${mailbox.id}`)) input.value = body.email;
  document.getElementById(`mailbox-${mailbox.id}-status`)?.focus();
}

import { busy, field, formatTime, h } from './dom.js';
import { SUPPRESSION_REASON } from './reasons.js';

/** "+ Add an address": checked here first, then by the service; errors beside the field. */
export function addForm(app, after) {
  const email = h('input', {
    type: 'email',
    required: true,
    maxlength: 320,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const note = h('input', { type: 'text', maxlength: 500, autocomplete: 'off' });
  const error = h('p', { id: 'suppression-email-error', class: 'error-text', hidden: true });
  return h(
    'form',
    { novalidate: true, onSubmit: (event) => add(event, app, after, { email, note, error }) },
    field('suppression-email', 'Email address', email, 'For example name@example.com.'),
    error,
    field('suppression-note', 'Note (optional)', note, 'Why, for your team.'),
    h('button', { type: 'submit', id: 'suppression-add' }, 'Add to suppression list'),
  );
}

/** Shows what is wrong with the address next to it, and takes the keyboard there. */
function invalid(inputs, text) {
  inputs.error.textContent = text;
  inputs.error.hidden = !text;
  inputs.email.setAttribute('aria-invalid', text ? 'true' : 'false');
  const described = ['suppression-email-hint', text ? 'suppression-email-error' : null];
  inputs.email.setAttribute('aria-describedby', described.filter(Boolean).join(' '));
  if (text) inputs.email.focus();
}

/** The service's own reasons for a refused address, in a sentence. */
function refused(email, error, app) {
  const reasons = (error.details ?? []).map((d) => d.message).filter(Boolean);
  const why = reasons.length ? reasons.join('; ') : app.describe(error);
  return `Not added: “${email}” was not accepted as an email address (${why}). Check it for typos.`;
}

async function add(event, app, after, inputs) {
  event.preventDefault();
  const email = inputs.email.value.trim();
  if (!email) return invalid(inputs, 'Enter the email address to suppress.');
  if (inputs.email.validity.typeMismatch || !email.includes('.'))
    return invalid(inputs, `“${email}” is not an email address. Enter one like name@example.com.`);
  const body = { email };
  if (inputs.note.value.trim()) body.note = inputs.note.value.trim();
  let result;
  try {
    result = await busy(event.submitter, 'Adding…', () =>
      app.api.request('POST', '/v1/suppressions', { body, withStatus: true }),
    );
  } catch (error) {
    if (error.status === 400) return invalid(inputs, refused(email, error, app));
    app.setStatus('suppressions', `Could not add ${email}: ${app.describe(error)}`, 'error-text');
    return after(app);
  }
  invalid(inputs, '');
  app.ui.open.delete('suppression-new');
  const entry = result.body;
  const [label] = SUPPRESSION_REASON[entry.reason] ?? [entry.reason];
  app.setStatus(
    'suppressions',
    result.status === 201
      ? `Added ${entry.email}. Nothing will be sent to it.`
      : `${entry.email} was already on the list (${label}, since ${formatTime(entry.createdAt)}).`,
  );
  await after(app);
}

import { busy, field, h, select } from './dom.js';
import { fieldErrors } from './field-errors.js';
import { recentMail, loadRecent } from './inbound-mail.js';
import { BEHAVIORS, PURPOSES, REPLY_MODES, labelOf } from './labels.js';
import { replyPolicyFields } from './reply-policy.js';

/**
 * Inbound AI toggle, Mailbox Purpose and AI Behavior, the AI reply guard rails, and what the AI
 * did lately.
 */
export function inboundSettings(app, mailbox) {
  const id = `inbound-${mailbox.id}`;
  const settings = mailbox.inbound;
  const policy = app.ui.policies.get(mailbox.id);
  const errors = fieldErrors(id);
  const enabled = h('input', { type: 'checkbox', id: `${id}-enabled`, checked: settings.enabled });
  const purpose = select(PURPOSES, settings.purpose);
  const behaviorHint = h(
    'p',
    { class: 'hint', id: `${id}-behavior-hint` },
    describeBehavior(settings.behavior),
  );
  const behavior = select(
    BEHAVIORS.map(([value, text]) => [value, text]),
    settings.behavior,
    {
      'aria-describedby': behaviorHint.id,
      onChange: (event) => (behaviorHint.textContent = describeBehavior(event.currentTarget.value)),
    },
  );
  const guardRails =
    policy && !policy.error ? replyPolicyFields(app, mailbox, policy, errors) : null;
  const controls = { enabled, purpose, behavior, guardRails, errors };
  const form = h(
    'form',
    { novalidate: true, onSubmit: (event) => save(event, app, mailbox, controls) },
    h('div', { class: 'check field' }, enabled, h('label', { for: enabled.id }, 'Inbound AI')),
    field(`${id}-purpose`, 'Mailbox Purpose', purpose),
    field(`${id}-behavior`, 'AI Behavior', behavior),
    behaviorHint,
    guardRails?.nodes ??
      h(
        'p',
        { class: 'error-text' },
        `The AI reply settings could not be loaded: ${policy?.error ?? 'not loaded yet'}.`,
      ),
    h('p', { class: 'error-text', id: `${id}-form-error`, hidden: true, tabindex: -1 }),
    h('button', { type: 'submit', id: `${id}-save` }, 'Save Inbound AI settings'),
  );
  const fieldset = h(
    'fieldset',
    { class: 'inbound' },
    h('legend', {}, 'Inbound AI'),
    h(
      'p',
      { class: 'hint' },
      'When on, new mail to this mailbox is classified for its purpose, labelled in Outlook and, depending on the behavior, answered.',
    ),
    form,
    app.disclosure(`${id}-recent`, 'Recent inbound mail', recentMail(app, mailbox), () =>
      loadRecent(app, mailbox),
    ),
  );
  return app.disclosure(id, summaryOf(settings, policy), fieldset);
}

/** The settings in one line: the disclosure's summary. */
function summaryOf({ enabled, purpose, behavior }, policy) {
  if (!enabled) return 'Inbound AI: Off';
  const replies = ['full_auto', 'reply_only'].includes(behavior) && policy?.replyMode;
  const mode = replies ? ` · ${labelOf(REPLY_MODES, policy.replyMode)}` : '';
  return `Inbound AI: On · ${labelOf(PURPOSES, purpose)} · ${labelOf(BEHAVIORS, behavior)}${mode}`;
}

function describeBehavior(value) {
  return BEHAVIORS.find(([key]) => key === value)?.[2] ?? '';
}

async function save(event, app, mailbox, controls) {
  event.preventDefault();
  const { errors } = controls;
  const formError = document.getElementById(`inbound-${mailbox.id}-form-error`);
  errors.clear();
  formError.hidden = true;
  const rails = controls.guardRails?.collect() ?? { body: {}, problems: [] };
  if (rails.problems.length) return errors.show(rails.problems);
  const body = {
    enabled: controls.enabled.checked,
    purpose: controls.purpose.value,
    behavior: controls.behavior.value,
    ...rails.body,
  };
  let saved;
  try {
    saved = await busy(event.submitter, 'Saving…', () =>
      app.api.patch(`/v1/mailboxes/${mailbox.id}/inbound`, body),
    );
  } catch (error) {
    if (error.status === 400 && error.details?.length)
      return refused(app, error, errors, formError);
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Inbound AI settings not saved: ${app.describe(error)}`,
      'error-text',
    );
    return app.reload();
  }
  const { enabled, purpose, behavior } = saved.inbound;
  const replies = ['full_auto', 'reply_only'].includes(behavior) && body.replyMode;
  const mode = replies ? `, ${labelOf(REPLY_MODES, body.replyMode)}` : '';
  const words = enabled
    ? `on for ${mailbox.email}: ${labelOf(PURPOSES, purpose)}, ${labelOf(BEHAVIORS, behavior)}${mode}`
    : `off for ${mailbox.email}`;
  app.setStatus(`mailbox:${mailbox.id}`, `Inbound AI is ${words}.`);
  await app.reload();
}

/** A 400: each problem beside its field (the form stays as typed); the rest above Save. */
function refused(app, error, errors, formError) {
  const rest = errors.show(error.details);
  app.announce('Inbound AI settings not saved: check the fields marked.');
  if (!rest.length) return;
  formError.textContent = `Not saved: ${rest.map((d) => d.message ?? d.field).join('; ')}`;
  formError.hidden = false;
  formError.focus();
}

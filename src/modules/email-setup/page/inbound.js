import { busy, field, h, select } from './dom.js';
import { recentMail, loadRecent } from './inbound-mail.js';
import { BEHAVIORS, PURPOSES, labelOf } from './labels.js';

/** Inbound AI toggle, Mailbox Purpose and AI Behavior, and what the AI did lately. */
export function inboundSettings(app, mailbox) {
  const id = `inbound-${mailbox.id}`;
  const settings = mailbox.inbound;
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
  const form = h(
    'form',
    { onSubmit: (event) => save(event, app, mailbox, { enabled, purpose, behavior }) },
    h('div', { class: 'check field' }, enabled, h('label', { for: enabled.id }, 'Inbound AI')),
    field(`${id}-purpose`, 'Mailbox Purpose', purpose),
    field(`${id}-behavior`, 'AI Behavior', behavior),
    behaviorHint,
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
  return app.disclosure(id, summaryOf(settings), fieldset);
}

/** The settings in one line: the disclosure's summary. */
function summaryOf({ enabled, purpose, behavior }) {
  if (!enabled) return 'Inbound AI: Off';
  return `Inbound AI: On · ${labelOf(PURPOSES, purpose)} · ${labelOf(BEHAVIORS, behavior)}`;
}

function describeBehavior(value) {
  return BEHAVIORS.find(([key]) => key === value)?.[2] ?? '';
}

async function save(event, app, mailbox, controls) {
  event.preventDefault();
  const body = {
    enabled: controls.enabled.checked,
    purpose: controls.purpose.value,
    behavior: controls.behavior.value,
  };
  try {
    const saved = await busy(event.submitter, 'Saving…', () =>
      app.api.patch(`/v1/mailboxes/${mailbox.id}/inbound`, body),
    );
    const { enabled, purpose, behavior } = saved.inbound;
    const words = enabled
      ? `on for ${mailbox.email}: ${labelOf(PURPOSES, purpose)}, ${labelOf(BEHAVIORS, behavior)}`
      : `off for ${mailbox.email}`;
    app.setStatus(`mailbox:${mailbox.id}`, `Inbound AI is ${words}.`);
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `Inbound AI settings not saved: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
}

import { busy, h } from './dom.js';
import { fieldErrors } from './field-errors.js';
import { paceFields } from './pace-fields.js';
import { overrideSummary, paceSummary, RECOMMENDED_PACE } from './pace-text.js';

const CHOICES = [
  ['off', 'Off', 'Messages go as fast as Microsoft allows; only Exchange’s own limits apply.'],
  [
    'recommended',
    'Recommended for cold outreach',
    '30 a day per address, 60–120 seconds apart, Monday to Friday 08:00–18:00 in the mailbox’s time zone, starting at 5 a day and 5 more each day.',
  ],
  ['custom', 'Custom', 'Set the daily cap, gap, window and slow start yourself.'],
];

/** The API's pace_* codes in the words of the form (the field comes from the error's details). */
const PACE_ERROR = {
  pace_daily_cap_invalid: 'Enter a whole number from 1 to 10,000 (Exchange’s daily limit).',
  pace_gap_invalid: 'Enter whole seconds from 0 to 86,400, and “At least” no more than “At most”.',
  pace_ramp_invalid: 'Enter whole numbers: at least 1 on the first day, 0 or more each day.',
  pace_window_days_invalid: 'Choose at least one day.',
  pace_window_time_invalid: 'Enter both times, like 08:00.',
  pace_window_empty: '“Until” must be later than “From”.',
  pace_time_zone_unknown:
    'This time zone is not known. Use a name like Europe/Berlin, or leave it empty for the mailbox’s own.',
};

/** Puts a refused save's details beside the fields; says the rest in the form's status line. */
function showRefusal(app, error, errors, status) {
  const words = PACE_ERROR[error.code];
  const details = (error.details ?? []).map((d) => (words ? { ...d, message: words } : d));
  const rest = errors.show(details);
  status.className = 'inline-status error-text';
  status.textContent =
    details.length && !rest.length
      ? 'Not saved: see the fields marked above.'
      : `Not saved: ${app.describe(error)}`;
  app.announce(status.textContent);
}

/** A sender profile's pace: its summary and a disclosure with the editor. */
export function profilePace(app, profile) {
  return [
    h(
      'div',
      { class: 'hint', id: `pace-summary-${profile.id}` },
      `Pace: ${paceSummary(profile.pace)}`,
    ),
    app.disclosure(`pace-${profile.id}`, 'Sending pace', profilePaceForm(app, profile)),
  ];
}

function choiceOf(pace) {
  if (!pace) return 'off';
  return JSON.stringify(pace) === JSON.stringify(RECOMMENDED_PACE) ? 'recommended' : 'custom';
}

function profilePaceForm(app, profile) {
  const id = `pace-${profile.id}`;
  const errors = fieldErrors(id);
  const chosen = choiceOf(profile.pace);
  const custom = paceFields(id, profile.pace ?? RECOMMENDED_PACE, errors, 'profile');
  const customBox = h('div', { hidden: chosen !== 'custom' }, custom.node);
  const radios = CHOICES.map(([value]) =>
    h('input', {
      type: 'radio',
      name: `${id}-choice`,
      id: `${id}-${value}`,
      value,
      checked: value === chosen,
      'aria-describedby': `${id}-${value}-hint`,
      onChange: () => (customBox.hidden = value !== 'custom'),
    }),
  );
  const status = h('p', {
    class: 'inline-status',
    role: 'status',
    tabindex: -1,
    id: `${id}-status`,
  });
  return h(
    'form',
    {
      novalidate: true,
      onSubmit: (event) => save(event, app, profile, { radios, custom, errors, status }),
    },
    h(
      'fieldset',
      { class: 'sub' },
      h('legend', {}, `Sending pace of ${profile.name}`),
      CHOICES.map(([value, label, hint], i) =>
        h(
          'div',
          { class: 'choice' },
          radios[i],
          h(
            'div',
            {},
            h('label', { for: radios[i].id }, label),
            h('p', { class: 'hint', id: `${id}-${value}-hint` }, hint),
          ),
        ),
      ),
      errors.slot('pace', radios[0], 'pace'),
    ),
    customBox,
    h('button', { type: 'submit', id: `${id}-save` }, 'Save sending pace'),
    status,
  );
}

async function save(event, app, profile, { radios, custom, errors, status }) {
  event.preventDefault();
  errors.clear();
  const choice = radios.find((r) => r.checked)?.value ?? 'off';
  const pace = choice === 'off' ? null : choice === 'recommended' ? {} : custom.collect();
  try {
    await busy(event.submitter, 'Saving…', () =>
      app.api.patch(`/v1/sender-profiles/${profile.id}`, { pace }),
    );
    app.setStatus('profiles', `Saved the sending pace of ${profile.name}.`);
  } catch (error) {
    showRefusal(app, error, errors, status);
    return;
  }
  await app.reload();
  document.getElementById('profiles-status')?.focus();
}

/** An identity's own pace: one line, and a disclosure to set or clear it. */
export function identityPace(app, mailbox, identity) {
  const profile = app.state.profiles.find((p) => p.id === identity.senderProfileId);
  const line = h(
    'div',
    { class: 'hint', id: `identity-pace-${identity.id}` },
    `Pace: ${overrideSummary(identity.pace)}`,
  );
  if (!profile) return line;
  return [
    line,
    app.disclosure(`ipace-${identity.id}`, 'Change pace', overrideForm(app, mailbox, identity)),
  ];
}

function overrideForm(app, mailbox, identity) {
  const id = `ipace-${identity.id}`;
  const errors = fieldErrors(id);
  const fields = paceFields(id, identity.pace, errors, 'override');
  const status = h('p', {
    class: 'inline-status',
    role: 'status',
    tabindex: -1,
    id: `${id}-status`,
  });
  const inherit = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: `${id}-inherit`,
      onClick: (event) => saveOverride(event, app, mailbox, identity, null, { errors, status }),
    },
    'Use the sender profile’s pace',
  );
  return h(
    'form',
    {
      novalidate: true,
      onSubmit: (event) =>
        saveOverride(event, app, mailbox, identity, fields.collect(), { errors, status }),
    },
    h(
      'p',
      { class: 'hint' },
      `Values set here replace the sender profile’s for ${identity.email} only.`,
    ),
    errors.slot('pace', null, 'pace'),
    fields.node,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: `${id}-save` }, 'Save pace'),
      inherit,
    ),
    status,
  );
}

async function saveOverride(event, app, mailbox, identity, pace, { errors, status }) {
  event.preventDefault();
  errors.clear();
  const button = event.submitter ?? event.currentTarget;
  const body = { pace: pace && Object.keys(pace).length ? pace : null };
  try {
    await busy(button, 'Saving…', () => app.api.patch(`/v1/identities/${identity.id}`, body));
    app.setStatus(
      `mailbox:${mailbox.id}`,
      body.pace
        ? `${identity.email} now has its own pace.`
        : `${identity.email} now follows its sender profile’s pace.`,
    );
  } catch (error) {
    showRefusal(app, error, errors, status);
    return;
  }
  await app.reload();
}

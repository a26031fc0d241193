import { field, h, select } from './dom.js';
import { REPLY_MODES } from './labels.js';
import { businessHoursFields } from './business-hours.js';
import { topicsEditor } from './topics-editor.js';

const UNDO_WINDOWS = [
  [30, '30 seconds'],
  [60, '1 minute'],
  [120, '2 minutes'],
  [300, '5 minutes'],
  [600, '10 minutes'],
  [900, '15 minutes'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
  [7200, '2 hours'],
  [14400, '4 hours'],
  [28800, '8 hours'],
  [86400, '24 hours'],
];

/**
 * The AI reply guard rails of a mailbox (`GET /v1/inbound/mailboxes/:id/reply-policy`), as
 * fields of its Inbound AI form. `collect()` gives what changed for the PATCH, and the page's
 * own objections in the API's error shape.
 */
export function replyPolicyFields(app, mailbox, policy, errors) {
  const id = `inbound-${mailbox.id}`;
  const mode = replyModeFields(id, policy, errors);
  const topics = topicsEditor(app, mailbox, policy.escalationTopics, errors);
  const floor = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    step: 1,
    inputmode: 'numeric',
    value: Math.round(policy.confidenceFloor * 100),
  });
  const cap = h('input', { type: 'number', min: 0, step: 1, value: policy.dailyReplyCap });
  const hours = businessHoursFields(id, policy.businessHours, errors);
  const nodes = [
    mode.node,
    group(
      'Escalate to a person',
      'Mail about these topics is never answered by the AI: it is flagged “AI: Needs a person” in Outlook and listed under Escalated to a person.',
      topics.node,
      field(
        `${id}-floor`,
        'Confidence floor (%)',
        floor,
        'When the AI is less sure than this what a message is about, a person answers it instead.',
      ),
      errors.slot('confidenceFloor', floor, 'Confidence floor'),
    ),
    group(
      'Daily limit',
      null,
      field(
        `${id}-cap`,
        'Daily AI-reply cap',
        cap,
        'The most AI replies this mailbox makes in 24 hours (drafts and scheduled replies count). Beyond it, people answer. 0 stops AI replies.',
      ),
      errors.slot('dailyReplyCap', cap, 'Daily AI-reply cap'),
    ),
    hours.node,
  ];
  const collect = () => {
    const problems = [];
    const body = { ...mode.collect(), ...topics.collect() };
    const percent = Number(floor.value);
    if (floor.value === '' || !(percent >= 0 && percent <= 100))
      problems.push({ field: 'confidenceFloor', message: 'Enter a number from 0 to 100.' });
    else if (percent !== Math.round(policy.confidenceFloor * 100))
      body.confidenceFloor = percent / 100;
    if (cap.value === '') problems.push({ field: 'dailyReplyCap', message: 'Enter a number.' });
    else if (Number(cap.value) !== policy.dailyReplyCap) body.dailyReplyCap = Number(cap.value);
    const bh = hours.collect(policy.businessHours);
    problems.push(...bh.problems);
    Object.assign(body, bh.body);
    return { body, problems };
  };
  return { nodes, collect };
}

/** Send at once / Review first / Send after a delay (with the undo window). */
function replyModeFields(id, policy, errors) {
  const current = policy.replyMode;
  const radios = REPLY_MODES.map(([value, label, text]) => {
    const input = h('input', {
      type: 'radio',
      name: `${id}-mode`,
      id: `${id}-mode-${value}`,
      value,
      checked: value === current,
      'aria-describedby': `${id}-mode-${value}-hint`,
    });
    return h(
      'div',
      { class: 'choice' },
      input,
      h(
        'div',
        {},
        h('label', { for: input.id }, label),
        h('p', { class: 'hint', id: `${id}-mode-${value}-hint` }, text),
      ),
    );
  });
  const undoOptions = UNDO_WINDOWS.some(([s]) => s === policy.undoWindowSeconds)
    ? UNDO_WINDOWS
    : [...UNDO_WINDOWS, [policy.undoWindowSeconds, `${policy.undoWindowSeconds} seconds`]];
  const undo = select(
    undoOptions.map(([s, text]) => [String(s), text]),
    String(policy.undoWindowSeconds),
  );
  const node = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Reply mode'),
    sourceNote(policy)
      ? h('p', { class: 'hint', 'data-policy-source': policy.source }, sourceNote(policy))
      : null,
    radios,
    errors.slot('replyMode', null),
    field(
      `${id}-undo`,
      'Undo window',
      undo,
      'With Send after a delay: how long a reply waits before it goes, so it can be cancelled.',
    ),
    errors.slot('undoWindowSeconds', undo, 'Undo window'),
  );
  const collect = () => {
    const body = {};
    const checked = radios.map((r) => r.querySelector('input')).find((r) => r.checked);
    if (checked) body.replyMode = checked.value;
    if (Number(undo.value) !== policy.undoWindowSeconds)
      body.undoWindowSeconds = Number(undo.value);
    return body;
  };
  return { node, collect };
}

/**
 * What the policy's origin means for the person: settings not saved yet (`default`: enabling
 * starts with them) or a mailbox enabled before reply modes (`legacy`: it sends at once).
 */
function sourceNote(policy) {
  if (policy.source === 'default')
    return 'Not saved yet: turning Inbound AI on starts with these settings (Review first).';
  if (policy.source === 'legacy')
    return 'This mailbox was set up before reply modes: it sends at once until you save a mode.';
  return null;
}

function group(legend, hint, ...content) {
  return h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    content,
  );
}

import { field, h } from './dom.js';
import { WEEKDAYS } from './labels.js';
import { RECOMMENDED_PACE } from './pace-text.js';

/**
 * The pace values (daily cap, gap, window, ramp) as form fields, each with one plain sentence and
 * an error slot for the API's `pace.*` field paths. `mode` 'profile': an empty field turns that
 * limit off; 'override': an empty field keeps the sender profile's value.
 */
export function paceFields(id, pace, errors, mode) {
  const empty =
    mode === 'override' ? 'leave empty to keep the sender profile’s' : 'leave empty for none';
  const input = (value, extra = {}) =>
    h('input', {
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      size: 6,
      value: value ?? '',
      ...extra,
    });
  const cap = input(pace?.dailyCap);
  const gapMin = input(pace?.gap?.minSeconds);
  const gapMax = input(pace?.gap?.maxSeconds);
  const rampStart = input(pace?.ramp?.start);
  const rampStep = input(pace?.ramp?.step);
  const window = windowFields(id, pace?.window ?? null, errors, mode);
  const node = h(
    'div',
    { class: 'pace-fields' },
    field(
      `${id}-cap`,
      'Daily cap',
      cap,
      `The most outreach messages each address sends in a day (30 is the usual advice for cold outreach); ${empty}.`,
    ),
    errors.slot('pace.dailyCap', cap, 'Daily cap'),
    h(
      'fieldset',
      { class: 'sub' },
      h('legend', {}, 'Gap between sends (seconds)'),
      h(
        'p',
        { class: 'hint', id: `${id}-gap-hint` },
        `Each next message waits a random number of seconds between these two, so sending does not look automated; ${empty}.`,
      ),
      h(
        'div',
        { class: 'row' },
        field(`${id}-gap-min`, 'At least', gapMin),
        field(`${id}-gap-max`, 'At most', gapMax),
      ),
      errors.slot('pace.gap', gapMin, 'gap'),
    ),
    window.node,
    h(
      'fieldset',
      { class: 'sub' },
      h('legend', {}, 'Slow start (ramp)'),
      h(
        'p',
        { class: 'hint', id: `${id}-ramp-hint` },
        `A newly connected address sends this many on its first day and the step more each following day, up to the daily cap; ${empty}.`,
      ),
      h(
        'div',
        { class: 'row' },
        field(`${id}-ramp-start`, 'First day', rampStart),
        field(`${id}-ramp-step`, 'More each day', rampStep),
      ),
      errors.slot('pace.ramp', rampStart, 'ramp'),
    ),
  );
  const collect = () => {
    const body = {};
    const put = (key, value) => {
      if (value !== null) body[key] = value;
      else if (mode === 'profile') body[key] = null;
    };
    put('dailyCap', number(cap.value));
    put('gap', pair(gapMin.value, gapMax.value, 'minSeconds', 'maxSeconds'));
    put('window', window.collect());
    put('ramp', pair(rampStart.value, rampStep.value, 'start', 'step'));
    return body;
  };
  return { node, collect };
}

function windowFields(id, value, errors, mode) {
  const on = h('input', { type: 'checkbox', id: `${id}-window-on`, checked: Boolean(value) });
  const days = WEEKDAYS.map(([day, , long]) =>
    h('input', {
      type: 'checkbox',
      id: `${id}-window-day-${day}`,
      value: day,
      checked: (value?.days ?? RECOMMENDED_PACE.window.days).includes(day),
      'aria-label': long,
    }),
  );
  const start = h('input', { type: 'time', value: value?.start ?? '08:00' });
  const end = h('input', {
    type: 'time',
    value: value?.end === '24:00' ? '23:59' : (value?.end ?? '18:00'),
  });
  const zone = h('input', {
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    value: value?.timeZone ?? '',
  });
  const details = h(
    'div',
    { hidden: !value },
    h(
      'fieldset',
      { class: 'days' },
      h('legend', {}, 'Days'),
      h(
        'div',
        { class: 'day-list' },
        WEEKDAYS.map(([, short], i) =>
          h('div', { class: 'check' }, days[i], h('label', { for: days[i].id }, short)),
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      field(`${id}-window-start`, 'From', start),
      field(`${id}-window-end`, 'Until', end),
    ),
    field(
      `${id}-window-zone`,
      'Time zone',
      zone,
      'For example Europe/Berlin; leave empty to use each mailbox’s own time zone from Microsoft.',
    ),
  );
  on.addEventListener('change', () => (details.hidden = !on.checked));
  const label = mode === 'override' ? 'Use its own sending window' : 'Send only in a window';
  const node = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Sending window'),
    h(
      'p',
      { class: 'hint' },
      mode === 'override'
        ? 'Outreach from this address waits outside these days and hours; unticked, the sender profile’s window applies.'
        : 'Outreach waits outside these days and hours and goes when the window opens; replies are never held.',
    ),
    h('div', { class: 'check field' }, on, h('label', { for: on.id }, label)),
    details,
    errors.slot('pace.window', on, 'window'),
  );
  const collect = () => {
    if (!on.checked) return null;
    return {
      days: days.filter((d) => d.checked).map((d) => Number(d.value)),
      start: start.value,
      end: value?.end === '24:00' && end.value === '23:59' ? '24:00' : end.value,
      timeZone: zone.value.trim() || null,
    };
  };
  return { node, collect };
}

/** A whole number as typed; anything else is sent as written so the API names the problem. */
function number(text) {
  const value = text.trim();
  if (value === '') return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function pair(a, b, first, second) {
  if (a.trim() === '' && b.trim() === '') return null;
  return { [first]: number(a), [second]: number(b) };
}

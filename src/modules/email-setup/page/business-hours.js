import { field, h } from './dom.js';
import { WEEKDAYS } from './labels.js';

const WORKWEEK = [1, 2, 3, 4, 5];

/** Business hours: on or off, the days, start, end and time zone (`businessHours`). */
export function businessHoursFields(id, hours, errors) {
  const on = h('input', { type: 'checkbox', id: `${id}-hours-on`, checked: Boolean(hours) });
  const days = WEEKDAYS.map(([day, , long]) =>
    h('input', {
      type: 'checkbox',
      id: `${id}-day-${day}`,
      value: day,
      checked: (hours?.days ?? WORKWEEK).includes(day),
      'aria-label': long,
    }),
  );
  const start = h('input', { type: 'time', value: hours?.start ?? '09:00' });
  const end = h('input', {
    type: 'time',
    value: hours?.end === '24:00' ? '23:59' : (hours?.end ?? '17:00'),
  });
  const zone = h('input', {
    type: 'text',
    list: `${id}-zones`,
    autocomplete: 'off',
    spellcheck: 'false',
    value: hours?.timeZone ?? browserZone(),
  });
  const dayGroup = h(
    'fieldset',
    { class: 'days', id: `${id}-days` },
    h('legend', {}, 'Days'),
    h(
      'div',
      { class: 'day-list' },
      WEEKDAYS.map(([, short], i) =>
        h('div', { class: 'check' }, days[i], h('label', { for: days[i].id }, short)),
      ),
    ),
  );
  const details = h(
    'div',
    { id: `${id}-hours-fields`, hidden: !hours },
    dayGroup,
    errors.slot('businessHours.days', days[0], 'Days'),
    h(
      'div',
      { class: 'row' },
      field(`${id}-start`, 'Starts at', start),
      field(`${id}-end`, 'Ends at', end),
    ),
    errors.slot('businessHours.start', start, 'Starts at'),
    errors.slot('businessHours.end', end, 'Ends at'),
    field(`${id}-zone`, 'Time zone', zone, 'For example Europe/Berlin or America/New_York.'),
    h(
      'datalist',
      { id: `${id}-zones` },
      zones().map((z) => h('option', { value: z })),
    ),
    errors.slot('businessHours.timeZone', zone, 'Time zone'),
  );
  on.addEventListener('change', () => (details.hidden = !on.checked));
  const node = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Business hours'),
    h(
      'p',
      { class: 'hint', id: `${id}-hours-hint` },
      'Automatic replies go out only in these hours; outside them they wait until the next opening. Drafts for review are written at any time.',
    ),
    h(
      'div',
      { class: 'check field' },
      on,
      h('label', { for: on.id }, 'Reply only during business hours'),
    ),
    errors.slot('businessHours', on, 'Business hours'),
    details,
  );
  const collect = (before) => {
    if (!on.checked) return { body: before ? { businessHours: null } : {}, problems: [] };
    const chosen = days.filter((d) => d.checked).map((d) => Number(d.value));
    if (chosen.length === 0)
      return {
        body: {},
        problems: [{ field: 'businessHours.days', message: 'Choose at least one day.' }],
      };
    const next = {
      timeZone: zone.value.trim(),
      days: chosen.sort(),
      start: start.value,
      end: before?.end === '24:00' && end.value === '23:59' ? '24:00' : end.value,
    };
    return { body: same(before, next) ? {} : { businessHours: next }, problems: [] };
  };
  return { node, collect };
}

function same(before, next) {
  if (!before) return false;
  const key = (v) => JSON.stringify([v.timeZone, [...v.days].sort(), v.start, v.end]);
  return key(before) === key(next);
}

function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

function zones() {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

import { busy, h, replaceContent } from './dom.js';
import { topicLabel } from './labels.js';

/**
 * The escalation topics as an editable list: a name and its words and phrases per topic, + Add
 * a topic, Remove, and Restore the defaults (PATCH `escalationTopics: null`).
 */
export function topicsEditor(app, mailbox, initial, errors) {
  const id = `inbound-${mailbox.id}-topics`;
  let rows = initial.map((t) => ({ topic: t.topic, phrases: t.phrases.join(', ') }));
  const list = h('div', { id: `${id}-list`, class: 'topics' });

  const render = (focusIndex) => {
    errors.clear();
    replaceContent(
      list,
      rows.length === 0
        ? h('p', { class: 'hint' }, 'No topic: only unsure messages go to a person.')
        : h(
            'ol',
            { class: 'topic-list' },
            rows.map((row, i) => topicRow(id, row, i, errors, () => remove(i))),
          ),
    );
    if (focusIndex !== undefined) document.getElementById(`${id}-${focusIndex}-name`)?.focus();
  };
  const remove = (i) => {
    rows.splice(i, 1);
    render();
    document.getElementById(`${id}-add`)?.focus();
    app.announce('Topic removed. Save to apply.');
  };
  const add = () => {
    rows.push({ topic: '', phrases: '' });
    render(rows.length - 1);
  };
  render();

  const content = h(
    'div',
    {},
    h(
      'p',
      { class: 'hint' },
      'A topic matches when one of its words or phrases is in the subject or the sender’s own text (any case, plurals included). The defaults: pricing, refund, cancellation, contract, legal, complaint, unsubscribe, talk to a human.',
    ),
    list,
    errors.slot('escalationTopics', null),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'secondary', id: `${id}-add`, onClick: add },
        '+ Add a topic',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: `${id}-defaults`,
          onClick: (event) => restoreDefaults(event, app, mailbox),
        },
        'Restore the default topics',
      ),
    ),
  );
  const names = initial.map((t) => t.topic.replace(/_/g, ' ')).join(', ');
  const summary = `Topics (${initial.length})${names ? `: ${names}` : ''}`;
  const node = h('div', { class: 'field topics-field' }, app.disclosure(id, summary, content));
  const collect = () => {
    const next = rows.map((row) => ({
      topic: row.topic.trim(),
      phrases: row.phrases
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    }));
    const before = initial.map((t) => ({ topic: t.topic, phrases: t.phrases }));
    return JSON.stringify(next) === JSON.stringify(before) ? {} : { escalationTopics: next };
  };
  return { node, collect };
}

function topicRow(id, row, i, errors, onRemove) {
  const base = `${id}-${i}`;
  const name = h('input', {
    type: 'text',
    id: `${base}-name`,
    value: row.topic,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${id}-name-hint`,
    onInput: (e) => (row.topic = e.currentTarget.value),
  });
  const phrases = h('textarea', {
    id: `${base}-phrases`,
    rows: 2,
    onInput: (e) => (row.phrases = e.currentTarget.value),
  });
  phrases.value = row.phrases;
  const title = row.topic ? topicLabel(row.topic) : `Topic ${i + 1}`;
  return h(
    'li',
    { class: 'topic' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: name.id }, `Topic name (${title})`),
      name,
      i === 0
        ? h('p', { class: 'hint', id: `${id}-name-hint` }, 'Lowercase letters, digits and _.')
        : null,
    ),
    errors.slot(`escalationTopics[${i}].topic`, name, 'Topic name'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: phrases.id }, 'Words and phrases, separated by commas'),
      phrases,
    ),
    errors.slot(`escalationTopics[${i}].phrases`, phrases, 'Words and phrases'),
    errors.slot(`escalationTopics[${i}]`, name, null),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        'aria-label': `Remove topic: ${title}`,
        onClick: onRemove,
      },
      'Remove topic',
    ),
  );
}

async function restoreDefaults(event, app, mailbox) {
  try {
    await busy(event.currentTarget, 'Restoring…', () =>
      app.api.patch(`/v1/mailboxes/${mailbox.id}/inbound`, { escalationTopics: null }),
    );
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `The default escalation topics are back for ${mailbox.email}.`,
    );
  } catch (error) {
    app.setStatus(
      `mailbox:${mailbox.id}`,
      `The default topics were not restored: ${app.describe(error)}`,
      'error-text',
    );
  }
  await app.reload();
  document.getElementById(`mailbox-${mailbox.id}-status`)?.focus();
}

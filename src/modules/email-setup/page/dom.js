/** Builds an element: attributes (booleans as presence), `on*` listeners, text or node children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else {
      el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces a container's content, keeping keyboard focus on the element with the same id. */
export function replaceContent(container, ...nodes) {
  const active = document.activeElement;
  const focusedId =
    active && active !== document.body && container.contains(active) ? active.id : '';
  container.replaceChildren();
  append(container, nodes);
  if (focusedId) document.getElementById(focusedId)?.focus();
}

/** Tells screen readers what just happened (the page's polite live region). */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** A label + control pair; `control` gets the id. */
export function field(id, label, control, hint) {
  control.id = id;
  const hintNode = hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
}

/** A select with the given [value, text] options, `selected` preselected. */
export function select(options, selected, props = {}) {
  return h(
    'select',
    props,
    options.map(([value, text]) => h('option', { value, selected: value === selected }, text)),
  );
}

export function badge(text, tone = '') {
  return h('span', { class: `badge ${tone}`.trim() }, text);
}

export function formatTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Disables a button while `work` runs; the button's text says it is busy. */
export async function busy(button, text, work) {
  const original = button.textContent;
  button.disabled = true;
  button.textContent = text;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = original;
  }
}

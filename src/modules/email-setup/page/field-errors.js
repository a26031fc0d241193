import { h } from './dom.js';

/**
 * Error slots beside a form's fields, keyed by the API's field paths (`dailyReplyCap`,
 * `businessHours.timeZone`, `escalationTopics[0].phrases`): a 400 answer's details land beside
 * the field they name, or beside the nearest enclosing one.
 */
export function fieldErrors(prefix) {
  const slots = new Map();
  return {
    /** The error paragraph for `path`, described by (and marking) `control`. */
    slot(path, control, label) {
      const id = `${prefix}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}-error`;
      const node = h('p', { id, class: 'error-text field-error', hidden: true });
      slots.set(path, { node, control, label });
      return node;
    },
    clear() {
      for (const { node, control } of slots.values()) {
        node.textContent = '';
        node.hidden = true;
        control?.removeAttribute('aria-invalid');
        describe(control, node.id, false);
      }
    },
    /**
     * Shows each detail (the API's, or the page's own checks in the same shape) beside its
     * field and takes the keyboard to the first; returns the details that fit no field.
     */
    show(details) {
      const rest = [];
      for (const detail of details) {
        const found = lookup(slots, detail.field ?? '');
        if (!found) rest.push(detail);
        else put(found, detail);
      }
      const first = [...slots.values()].find(({ node }) => !node.hidden);
      first?.control?.focus();
      return rest;
    },
  };
}

function put({ node, control, label }, detail) {
  const text = wording(detail, label);
  node.textContent = node.hidden ? text : `${node.textContent} ${text}`;
  node.hidden = false;
  // A field inside a closed disclosure (the topics) is shown, so the keyboard can get there.
  const details = node.closest('details');
  if (details) details.open = true;
  control?.setAttribute('aria-invalid', 'true');
  describe(control, node.id, true);
}

function lookup(slots, path) {
  let key = path;
  while (key) {
    if (slots.has(key)) return slots.get(key);
    const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    key = cut > 0 ? key.slice(0, cut) : '';
  }
  return null;
}

/** The API names fields as it spells them; the page says the label the person sees. */
function wording(detail, label) {
  const message = detail.message ?? 'This value is not accepted.';
  const name =
    (detail.field ?? '')
      .split(/[.[\]]/)
      .filter((part) => /^[a-zA-Z]/.test(part))
      .pop() ?? '';
  const said = name && label ? message.replace(name, label) : message;
  return /[.!?]$/.test(said) ? said : `${said}.`;
}

function describe(control, id, on) {
  if (!control) return;
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const next = on ? [...new Set([...ids, id])] : ids.filter((x) => x !== id);
  if (next.length) control.setAttribute('aria-describedby', next.join(' '));
  else control.removeAttribute('aria-describedby');
}

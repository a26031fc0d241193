import { h, replaceContent } from './dom.js';
import { ADMIN_CONSENT_ERRORS, CONNECT_ERRORS, GUIDE_PROBLEMS } from './callback-errors.js';

/** The guide's troubleshooting, from the same words the notices use. */
export function renderHelp() {
  replaceContent(
    document.getElementById('help'),
    h('h2', { id: 'help-title' }, 'Troubleshooting'),
    h('h3', {}, 'Common problems'),
    list(GUIDE_PROBLEMS.map((problem) => [problem.title, problem.text])),
    h('h3', {}, 'Errors after Connect Microsoft'),
    list(
      Object.entries(CONNECT_ERRORS).map(([code, entry]) => [code, `${entry.text} ${entry.fix}`]),
    ),
    h('h3', {}, 'Errors after admin consent'),
    list(
      Object.entries(ADMIN_CONSENT_ERRORS).map(([code, entry]) => [
        code,
        `${entry.text} ${entry.fix}`,
      ]),
    ),
  );
}

function list(entries) {
  return h(
    'dl',
    { class: 'help' },
    entries.map(([term, text]) => [h('dt', {}, term), h('dd', {}, text)]),
  );
}

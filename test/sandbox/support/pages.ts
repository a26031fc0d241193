/** Minimal HTML form reading for driving the emulator's pages over plain HTTP. */
export interface ParsedForm {
  action: string;
  fields: Record<string, string>;
}

export function parseForm(html: string, formId?: string): ParsedForm {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const match = formId ? forms.find((f) => f[1].includes(`id="${formId}"`)) : forms[0];
  if (!match) throw new Error(`No form ${formId ?? ''} in page: ${html.slice(0, 300)}`);
  const action = decode(/action="([^"]*)"/.exec(match[1])?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const input of match[2].matchAll(/<input\b([^>]*)>/g)) {
    const type = /type="([^"]*)"/.exec(input[1])?.[1];
    const name = /name="([^"]*)"/.exec(input[1])?.[1];
    if (!name || type === 'checkbox' || type === 'submit') continue;
    fields[decode(name)] = decode(/value="([^"]*)"/.exec(input[1])?.[1] ?? '');
  }
  return { action, fields };
}

export function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

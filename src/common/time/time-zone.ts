import { findIana } from 'windows-iana';

/** True when the runtime's Intl knows this IANA zone name. */
export function isIanaTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * An IANA zone for a name as people and Graph write it: IANA names pass through; Windows
 * names (Graph's mailboxSettings.timeZone, e.g. "Pacific Standard Time") are mapped with the
 * CLDR table of `windows-iana`. Null when neither.
 */
export function resolveTimeZone(name: string): string | null {
  const trimmed = name.trim();
  if (isIanaTimeZone(trimmed)) return trimmed;
  const candidates = trimmed.length > 0 && trimmed.length <= 64 ? findIana(trimmed) : [];
  return candidates.find(isIanaTimeZone) ?? null;
}

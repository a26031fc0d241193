/** How the sent-details job looks for a sent message's copy in Sent Items. */
export interface SentDetailsSettings {
  /** First wait after a lookup that found nothing; doubles with each further one. */
  retryMs: number;
  /** Lookups that found nothing before the job gives up. */
  maxAttempts: number;
  /** Time after sending when the job gives up, whatever happened meanwhile. */
  maxAgeMs: number;
}

/** What one Sent Items lookup gave. */
export type LookupResult =
  | { kind: 'found'; internetMessageId: string; conversationId: string | null }
  /** The search ran and the copy is not there (yet). */
  | { kind: 'not_found' }
  /**
   * No search could be made or it failed (no token, mailbox disconnected or needing re-auth,
   * Graph failing): says nothing about the copy, so it does not count as an attempt.
   */
  | { kind: 'unavailable'; retryAt?: Date };

export interface PendingDetails {
  sentAt: Date;
  /** Lookups that found nothing so far. */
  attempts: number;
}

export type DetailsStep =
  | { kind: 'store'; internetMessageId: string; conversationId: string | null }
  | { kind: 'retry'; at: Date; attempts: number }
  | { kind: 'give_up'; attempts: number; reason: 'not_found' | 'unreadable' };

const MAX_DELAY_MS = 3600_000;
const MAX_UNAVAILABLE_DELAY_MS = 10 * 60_000;

/** What to do after a lookup: store the ids, look again later, or stop looking. */
export function nextDetailsStep(
  pending: PendingDetails,
  result: LookupResult,
  now: Date,
  settings: SentDetailsSettings,
): DetailsStep {
  if (result.kind === 'found') {
    const { internetMessageId, conversationId } = result;
    return { kind: 'store', internetMessageId, conversationId };
  }
  const ageMs = now.getTime() - pending.sentAt.getTime();
  if (result.kind === 'not_found') {
    const attempts = pending.attempts + 1;
    if (attempts >= settings.maxAttempts || ageMs >= settings.maxAgeMs)
      return { kind: 'give_up', attempts, reason: 'not_found' };
    const delay = Math.min(MAX_DELAY_MS, settings.retryMs * 2 ** (attempts - 1));
    return { kind: 'retry', at: new Date(now.getTime() + delay), attempts };
  }
  const { attempts } = pending;
  if (ageMs >= settings.maxAgeMs) return { kind: 'give_up', attempts, reason: 'unreadable' };
  return { kind: 'retry', at: unavailableRetryAt(result.retryAt, ageMs, now, settings), attempts };
}

/**
 * When the mailbox could not be read: when its token is expected back, else a quarter of the
 * time since sending (at least `retryMs`, at most 10 minutes): quick at first, sparing later.
 */
function unavailableRetryAt(
  retryAt: Date | undefined,
  ageMs: number,
  now: Date,
  settings: SentDetailsSettings,
): Date {
  if (retryAt && retryAt.getTime() > now.getTime()) return retryAt;
  const delay = Math.min(MAX_UNAVAILABLE_DELAY_MS, Math.max(settings.retryMs, ageMs / 4));
  return new Date(now.getTime() + Math.floor(delay));
}

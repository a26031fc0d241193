import type { Category } from './triage.rules.js';

/** The category a guard skip implies, for the explanation list (no AI call is made). */
export function categoryOfSkip(reason: string): Category | null {
  if (reason === 'delivery_or_read_report' || reason === 'empty_return_path') return 'bounce';
  if (reason === 'out_of_office' || reason === 'auto_submitted' || reason === 'auto_reply')
    return 'out_of_office';
  if (reason === 'list_id' || reason === 'list_unsubscribe' || reason === 'precedence_bulk')
    return 'newsletter';
  return null;
}

/** Backoff between attempts at one message: 5 s doubling to 30 min. */
export function pipelineRetryMs(attempts: number, retryAfterSec?: number): number {
  if (retryAfterSec !== undefined) return Math.max(1, retryAfterSec) * 1000;
  return Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts));
}

/** What one pass of the pipeline did with a message. */
export type ProcessOutcome =
  'replied' | 'triaged' | 'skipped' | 'failed' | 'deferred' | 'escalated' | 'drafted';

/** Graph's bodyPreview as stored: its own plain-text preview, at most 255 characters; '' is none. */
export function storedPreview(bodyPreview: string | null | undefined): string | null {
  const text = (bodyPreview ?? '').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 255) : null;
}

/**
 * Graph's webLink (the message in Outlook on the web) as stored: an https URL only (the page
 * links to it), never anything else or anything absurdly long.
 */
export function storedWebLink(webLink: string | null | undefined): string | null {
  if (!webLink || webLink.length > 2048) return null;
  try {
    const url = new URL(webLink);
    return url.protocol === 'https:' && !url.username && !url.password ? webLink : null;
  } catch {
    return null;
  }
}

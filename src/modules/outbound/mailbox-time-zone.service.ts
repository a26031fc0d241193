import { Injectable, Logger } from '@nestjs/common';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { resolveTimeZone } from '../../common/time/time-zone.js';
import type { SendableIdentity } from '../identity/identity-query.service.js';
import { MailboxGraphService } from '../mailbox/mailbox-graph.service.js';
import { OutboundRepository } from './outbound.repository.js';

/** How long a zone read from Microsoft is trusted, and how soon a failed read is tried again. */
const KNOWN_FOR_MS = 24 * 3600_000;
const UNKNOWN_FOR_MS = 6 * 3600_000;

interface Read {
  timeZone: string | null;
  source: 'mailbox_settings' | 'scope_not_granted' | 'not_readable' | 'unknown_zone';
}

/**
 * A mailbox's own time zone (Graph `mailboxSettings.timeZone`, a Windows name mapped to IANA),
 * where the outreach pace counts days and opens windows that name no zone. Organization
 * mailboxes are read with the app's `MailboxSettings.Read`; delegated connections do not ask
 * for that scope, so their zone is unknown and the pace uses UTC. Kept in mailbox_time_zone and
 * read again daily.
 */
@Injectable()
export class MailboxTimeZoneService {
  private readonly logger = new Logger(MailboxTimeZoneService.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly graph: MailboxGraphService,
  ) {}

  /** Per mailbox of the identities: its IANA zone, or null when unknown (UTC then). */
  async zonesFor(identities: SendableIdentity[]): Promise<Map<string, string | null>> {
    const mailboxes = new Map(identities.map((i) => [i.mailboxId, i]));
    const known = await this.messages.mailboxTimeZones([...mailboxes.keys()]);
    const zones = new Map<string, string | null>();
    for (const [mailboxId, identity] of mailboxes) {
      const row = known.get(mailboxId);
      const age = row ? Date.now() - row.checkedAt.getTime() : Infinity;
      if (row && age < (row.timeZone ? KNOWN_FOR_MS : UNKNOWN_FOR_MS)) {
        zones.set(mailboxId, row.timeZone);
        continue;
      }
      const read = await this.read(identity);
      await this.messages.saveMailboxTimeZone(mailboxId, { ...read, checkedAt: new Date() });
      zones.set(mailboxId, read.timeZone);
    }
    return zones;
  }

  private async read(identity: SendableIdentity): Promise<Read> {
    if (identity.connectionType === 'delegated') {
      return { timeZone: null, source: 'scope_not_granted' };
    }
    try {
      const { client, path } = await this.graph.forMailbox({
        id: identity.mailboxId,
        tenantId: identity.tenantId,
        msUserId: identity.msUserId,
        connectionType: identity.connectionType,
      });
      const answer = (await client.api(`${path}/mailboxSettings/timeZone`).get()) as {
        value?: unknown;
      };
      const zone = typeof answer.value === 'string' ? resolveTimeZone(answer.value) : null;
      return zone
        ? { timeZone: zone, source: 'mailbox_settings' }
        : { timeZone: null, source: 'unknown_zone' };
    } catch (error) {
      const failure = graphFailureOf(error);
      this.logger.warn(
        { mailboxId: identity.mailboxId, status: failure.status, code: failure.code },
        'mailbox time zone not readable; outreach pace counts in UTC',
      );
      return { timeZone: null, source: 'not_readable' };
    }
  }
}

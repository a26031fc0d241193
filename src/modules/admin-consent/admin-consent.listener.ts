import { Injectable } from '@nestjs/common';
import type { MailboxAppAccessRefused } from '../../common/events/mailbox.events.js';
import { OnDomainEvent } from '../../common/events/on-domain-event.js';
import { OrganizationService } from './organization.service.js';

/** Reactions to what the mailbox module learns from Microsoft; each tolerates repeats. */
@Injectable()
export class AdminConsentListener {
  constructor(private readonly organizations: OrganizationService) {}

  /**
   * Sending found the organization's consent gone: sync it at the job's next run, which
   * confirms it (needs_consent, mailboxes suspended) or finds consent fine after all.
   */
  @OnDomainEvent('mailbox.app-access-refused')
  async onAppAccessRefused(event: MailboxAppAccessRefused): Promise<void> {
    if (event.reason === 'consent_missing') await this.organizations.syncSoon(event.organizationId);
  }
}

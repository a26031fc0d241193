import { Module } from '@nestjs/common';
import { registerSecretColumns } from '../../common/crypto/secret-columns.js';
import { MailboxListingRepository } from './mailbox-listing.repository.js';
import { MailboxListingService } from './mailbox-listing.service.js';
import { MailboxRefreshCron } from './mailbox-refresh.cron.js';
import { MailboxRefreshJob } from './mailbox-refresh.job.js';
import { MailboxRefreshService } from './mailbox-refresh.service.js';
import { MailboxRepository } from './mailbox.repository.js';
import { MAILBOX_SECRET_COLUMNS } from './mailbox.secrets.js';
import { MailboxService } from './mailbox.service.js';
import { MailboxGraphService } from './mailbox-graph.service.js';
import { MailboxTokenService } from './mailbox-token.service.js';
import { OrganizationGraphAccess } from './organization-graph-access.js';
import { OrganizationMailboxRepository } from './organization-mailbox.repository.js';
import { OrganizationMailboxService } from './organization-mailbox.service.js';

registerSecretColumns(MAILBOX_SECRET_COLUMNS);

@Module({
  providers: [
    MailboxRepository,
    MailboxService,
    MailboxTokenService,
    MailboxRefreshService,
    MailboxGraphService,
    MailboxRefreshJob,
    MailboxRefreshCron,
    MailboxListingRepository,
    MailboxListingService,
    OrganizationMailboxRepository,
    OrganizationMailboxService,
    OrganizationGraphAccess,
  ],
  exports: [
    MailboxService,
    MailboxListingService,
    MailboxTokenService,
    MailboxGraphService,
    MailboxRefreshJob,
    OrganizationMailboxService,
  ],
})
export class MailboxModule {}

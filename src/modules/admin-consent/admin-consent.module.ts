import { Module } from '@nestjs/common';
import { IdTokenVerifier } from '../../common/microsoft/id-token.verifier.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { AdminConsentController } from './admin-consent.controller.js';
import { AdminConsentListener } from './admin-consent.listener.js';
import { AdminConsentService } from './admin-consent.service.js';
import { ConsentAttemptRepository } from './consent-attempt.repository.js';
import { DirectorySyncService } from './directory-sync.service.js';
import { OrganizationRepository } from './organization.repository.js';
import { OrganizationService } from './organization.service.js';
import { OrganizationSyncCron } from './organization-sync.cron.js';
import { OrganizationSyncJob } from './organization-sync.job.js';
import { OrganizationSyncService } from './organization-sync.service.js';
import { OrganizationsController } from './organizations.controller.js';
import { TenantDirectoryClient } from './tenant-directory.client.js';

/** Organization connections through admin consent: app-only access to a whole tenant. */
@Module({
  imports: [MailboxModule, IdentityModule],
  controllers: [AdminConsentController, OrganizationsController],
  providers: [
    ConsentAttemptRepository,
    OrganizationRepository,
    TenantDirectoryClient,
    DirectorySyncService,
    OrganizationSyncService,
    OrganizationService,
    AdminConsentService,
    IdTokenVerifier,
    OrganizationSyncJob,
    OrganizationSyncCron,
    AdminConsentListener,
  ],
  exports: [OrganizationService, OrganizationSyncJob],
})
export class AdminConsentModule {}

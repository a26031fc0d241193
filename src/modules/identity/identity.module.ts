import { Module } from '@nestjs/common';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { IdentityAssignmentService } from './identity-assignment.service.js';
import { IdentityController } from './identity.controller.js';
import { IdentityDirectoryRepository } from './identity-directory.repository.js';
import { IdentityDirectoryService } from './identity-directory.service.js';
import { IdentityListener } from './identity.listener.js';
import { IdentityListingRepository } from './identity-listing.repository.js';
import { IdentityListingService } from './identity-listing.service.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityScanCron } from './identity-scan.cron.js';
import { IdentityScanJob } from './identity-scan.job.js';
import { IdentityScanRepository } from './identity-scan.repository.js';
import { IdentityDiscoveryService } from './identity.service.js';
import { IdentityQueryService } from './identity-query.service.js';
import { SendAsService } from './send-as.service.js';

@Module({
  imports: [MailboxModule],
  controllers: [IdentityController],
  providers: [
    IdentityRepository,
    IdentityScanRepository,
    IdentityDirectoryRepository,
    IdentityDiscoveryService,
    IdentityDirectoryService,
    IdentityQueryService,
    SendAsService,
    IdentityAssignmentService,
    IdentityScanJob,
    IdentityScanCron,
    IdentityListener,
    IdentityListingRepository,
    IdentityListingService,
  ],
  exports: [
    IdentityDiscoveryService,
    IdentityDirectoryService,
    IdentityQueryService,
    IdentityAssignmentService,
    IdentityScanJob,
    IdentityListingService,
  ],
})
export class IdentityModule {}

import { Module } from '@nestjs/common';
import { AdminConsentModule } from '../admin-consent/admin-consent.module.js';
import { InboundModule } from '../inbound/inbound.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { SenderProfileModule } from '../sender-profile/sender-profile.module.js';
import { CONSOLE_RESOURCES, ConsoleCatalog } from './console.catalog.js';
import { ConsoleMount } from './console.mount.js';
import { ConsoleSessionCleanupCron } from './console-session.cron.js';
import { ConsoleDashboardService } from './dashboard.service.js';
import { SessionRepository } from './staff/session.repository.js';
import { SessionService } from './staff/session.service.js';
import { StaffAuthService } from './staff/staff-auth.service.js';
import { StaffRepository } from './staff/staff.repository.js';
import { StaffService } from './staff/staff.service.js';

/** The operations console at /admin (AdminJS) for ScendCore staff. */
@Module({
  imports: [
    MailboxModule,
    IdentityModule,
    SenderProfileModule,
    OutboundModule,
    AdminConsentModule,
    InboundModule,
  ],
  providers: [
    StaffRepository,
    SessionRepository,
    StaffService,
    StaffAuthService,
    SessionService,
    ConsoleDashboardService,
    ...CONSOLE_RESOURCES,
    ConsoleCatalog,
    ConsoleMount,
    ConsoleSessionCleanupCron,
  ],
  exports: [StaffService],
})
export class ConsoleModule {}

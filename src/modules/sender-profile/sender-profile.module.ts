import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { IdentityAssignmentController } from './identity-assignment.controller.js';
import { SenderProfileController } from './sender-profile.controller.js';
import { SenderProfileListingRepository } from './sender-profile-listing.repository.js';
import { SenderProfileListingService } from './sender-profile-listing.service.js';
import { SenderProfileRepository } from './sender-profile.repository.js';
import { SenderProfileService } from './sender-profile.service.js';

@Module({
  imports: [IdentityModule],
  controllers: [SenderProfileController, IdentityAssignmentController],
  providers: [
    SenderProfileRepository,
    SenderProfileService,
    SenderProfileListingRepository,
    SenderProfileListingService,
  ],
  exports: [SenderProfileService, SenderProfileListingService],
})
export class SenderProfileModule {}

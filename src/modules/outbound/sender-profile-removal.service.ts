import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { SenderProfileService } from '../sender-profile/sender-profile.service.js';
import { SenderProfileInUseError } from './outbound.errors.js';
import { OutboundRepository } from './outbound.repository.js';

/** Deleting a profile touches the send queue: refuse while queued, or cancel with force. */
@Injectable()
export class SenderProfileRemovalService {
  private readonly logger = new Logger(SenderProfileRemovalService.name);

  constructor(
    private readonly profiles: SenderProfileService,
    private readonly messages: OutboundRepository,
  ) {}

  async remove(actor: Actor, profileId: string, force: boolean): Promise<void> {
    await this.profiles.get(actor, profileId);
    const queued = await this.messages.countQueued(profileId);
    if (queued > 0 && !force) throw new SenderProfileInUseError(queued);
    if (queued > 0) {
      const { count } = await this.messages.cancelQueued({ senderProfileId: profileId });
      this.logger.log(
        { senderProfileId: profileId, cancelled: count },
        'queued messages cancelled with their profile',
      );
    }
    await this.profiles.delete(actor, profileId);
  }
}

import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import { IdentityResponse, toIdentityResponse } from '../identity/dto/identity.dto.js';
import { IdentityNotFoundError } from '../identity/identity.errors.js';
import { AssignIdentityRequest } from './dto/identity-assignment.request.js';
import { SenderProfileService } from './sender-profile.service.js';

/** Assigning identities to sender profiles (lives here so sender-profile depends on identity). */
@ApiTags('identities')
@ApiBearerAuth()
@Controller('v1/identities')
export class IdentityAssignmentController {
  constructor(private readonly profiles: SenderProfileService) {}

  @Patch(':id')
  @ApiOkResponse({ type: IdentityResponse })
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new IdentityNotFoundError() }))
    id: string,
    @Body() body: AssignIdentityRequest,
  ): Promise<IdentityResponse> {
    if (
      body.senderProfileId === undefined &&
      body.displayName === undefined &&
      body.pace === undefined
    ) {
      throw new ValidationFailedError([
        { field: 'senderProfileId', message: 'send senderProfileId, displayName and/or pace' },
      ]);
    }
    const identity = await this.profiles.assignIdentity(
      actor,
      id,
      body.senderProfileId,
      body.displayName,
      body.pace,
    );
    return toIdentityResponse(identity);
  }
}

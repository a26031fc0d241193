import type { PaceOverride } from '../../common/pace/pace-settings.js';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import type { Actor } from '../../common/auth/actor.js';
import { IdentityNotFoundError } from './identity.errors.js';
import { IdentityRepository, type IdentityRow } from './identity.repository.js';

export type { IdentityRow } from './identity.repository.js';

/**
 * Which sender profile an identity belongs to (at most one: assigning moves it). The caller
 * validates the profile; this service validates the identity and records the audit row.
 */
@Injectable()
export class IdentityAssignmentService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Assigns (or with null unassigns) the identity and/or renames it; `undefined` leaves a field
   * as it is. Runs in `tx` when given.
   */
  assign(
    actor: Actor,
    identityId: string,
    senderProfileId: string | null | undefined,
    displayName?: string,
    tx?: Tx,
    pace?: PaceOverride | null,
  ): Promise<IdentityRow> {
    const run = (t: Tx) => this.write(t, actor, identityId, senderProfileId, displayName, pace);
    return tx ? run(tx) : this.prisma.$transaction(run);
  }

  /** Unassigns every identity of the profile (the profile is going away); returns how many. */
  unassignProfile(tx: Tx, senderProfileId: string): Promise<number> {
    return this.identities.unassignProfile(tx, senderProfileId);
  }

  private async write(
    tx: Tx,
    actor: Actor,
    identityId: string,
    senderProfileId: string | null | undefined,
    displayName?: string,
    pace?: PaceOverride | null,
  ): Promise<IdentityRow> {
    const before = await this.identities.findInWorkspaceTx(tx, actor.workspaceId, identityId);
    if (!before) throw new IdentityNotFoundError();
    const identity = await this.identities.setAssignment(tx, before.id, {
      ...(senderProfileId === undefined ? {} : { senderProfileId }),
      ...(displayName === undefined ? {} : { displayName }),
      ...(pace === undefined ? {} : { paceOverride: pace }),
    });
    await this.audit.record(tx, {
      workspaceId: actor.workspaceId,
      actor: { type: 'user', id: actor.userId },
      action: auditAction(senderProfileId),
      target: { type: 'identity', id: identity.id },
      metadata: {
        senderProfileId: identity.senderProfileId,
        previousSenderProfileId: before.senderProfileId,
        displayNameChanged: displayName !== undefined && displayName !== before.displayName,
        paceChanged: pace !== undefined,
      },
    });
    return identity;
  }
}

function auditAction(senderProfileId: string | null | undefined): string {
  if (senderProfileId === undefined) return 'identity.updated';
  return senderProfileId ? 'identity.assigned' : 'identity.unassigned';
}

import { Injectable } from '@nestjs/common';
import { type AuditEntry, AuditService } from '../../common/audit/audit.service.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { IdentityAssignmentService } from '../identity/identity-assignment.service.js';
import { IdentityQueryService } from '../identity/identity-query.service.js';
import { parsePaceOverride, parseProfilePace } from '../../common/pace/pace-settings.js';
import { SenderProfileNotFoundError } from './sender-profile.errors.js';
import {
  type SenderProfileFields,
  SenderProfileRepository,
  type SenderProfileRow,
} from './sender-profile.repository.js';
import { type Sendability, sendabilityOf } from './sender-profile.rules.js';

export type { Sendability, NotSendableReason } from './sender-profile.rules.js';
export type { SenderProfileRow } from './sender-profile.repository.js';
export type SenderProfileView = SenderProfileRow & Sendability & { identityIds: string[] };

/** Request input: `pace` is validated here (400 pace_* codes); undefined leaves it as it is. */
export type SenderProfileInput = Omit<SenderProfileFields, 'pace'> & { pace?: unknown };

export interface SenderProfilePage {
  items: SenderProfileView[];
  nextCursor: string | null;
}

/** Sender profiles of a workspace: the "from" used for outreach, and whether it can send. */
@Injectable()
export class SenderProfileService {
  constructor(
    private readonly profiles: SenderProfileRepository,
    private readonly identities: IdentityQueryService,
    private readonly assignment: IdentityAssignmentService,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async create(actor: Actor, input: SenderProfileInput): Promise<SenderProfileView> {
    const pace = input.pace === undefined ? null : parseProfilePace(input.pace);
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await this.profiles.create(tx, actor.workspaceId, { ...input, pace });
      await this.record(tx, actor, 'sender_profile.created', created.id);
      return created;
    });
    return this.view(row);
  }

  /** The workspace's profile; 404 `sender_profile_not_found` when missing or another's. */
  async get(actor: Actor, id: string): Promise<SenderProfileView> {
    return this.view(await this.find(actor, id));
  }

  /** A profile by id, any workspace (background work such as the dispatcher); null when gone. */
  findById(id: string): Promise<SenderProfileRow | null> {
    return this.profiles.findById(id);
  }

  async list(actor: Actor, limit: number, cursor?: string): Promise<SenderProfilePage> {
    const rows = await this.profiles.listInWorkspace(actor.workspaceId, limit + 1, cursor);
    const items = await this.views(rows.slice(0, limit));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  async update(
    actor: Actor,
    id: string,
    input: Partial<SenderProfileInput>,
  ): Promise<SenderProfileView> {
    const patch: Partial<SenderProfileFields> = {
      ...input,
      pace: input.pace === undefined ? undefined : parseProfilePace(input.pace),
    };
    const row = await this.prisma.$transaction(async (tx) => {
      await this.lock(tx, actor, id);
      const updated = await this.profiles.update(tx, id, patch);
      if (patch.pace !== undefined) await this.paceChanged(tx, actor, id);
      const fields = Object.entries(patch).filter(([, value]) => value !== undefined);
      await this.record(tx, actor, 'sender_profile.updated', id, {
        fields: fields.map(([key]) => key).join(','),
      });
      return updated;
    });
    return this.view(row);
  }

  /**
   * Unassigns the profile's identities and deletes it, in one transaction (`tx` when the
   * caller needs its own checks in the same transaction).
   */
  async delete(actor: Actor, id: string, tx?: Tx): Promise<void> {
    const run = async (t: Tx) => {
      await this.lock(t, actor, id);
      const unassigned = await this.assignment.unassignProfile(t, id);
      await this.profiles.delete(t, id);
      await this.record(t, actor, 'sender_profile.deleted', id, { unassigned });
    };
    await (tx ? run(tx) : this.prisma.$transaction(run));
  }

  /** Whether the profile can send now, and if not, why (404 when it is not the workspace's). */
  async sendability(actor: Actor, id: string): Promise<Sendability> {
    const { sendable, reason } = await this.get(actor, id);
    return { sendable, reason };
  }

  /** Whether the profile can send now, any workspace (the dispatcher); null when it is gone. */
  async sendabilityById(id: string): Promise<Sendability | null> {
    const row = await this.profiles.findById(id);
    if (!row) return null;
    const { sendable, reason } = await this.view(row);
    return { sendable, reason };
  }

  /**
   * Assigns the identity to the profile (null unassigns), holding the profile row meanwhile.
   * `profileId` undefined leaves the assignment as it is (a rename or a pace change only);
   * `pace` (request input) sets the identity's own pace values, null clears them.
   */
  assignIdentity(
    actor: Actor,
    identityId: string,
    profileId: string | null | undefined,
    displayName?: string,
    pace?: unknown,
  ) {
    const override = pace === undefined ? undefined : parsePaceOverride(pace);
    return this.prisma.$transaction(async (tx) => {
      if (profileId) await this.lock(tx, actor, profileId);
      const identity = await this.assignment.assign(
        actor,
        identityId,
        profileId,
        displayName,
        tx,
        override,
      );
      if (override !== undefined && identity.senderProfileId)
        await this.paceChanged(tx, actor, identity.senderProfileId);
      return identity;
    });
  }

  /** Messages the old pace holds back are looked at again now (the outbound module listens). */
  private paceChanged(tx: Tx, actor: Actor, senderProfileId: string) {
    return this.outbox.record(tx, 'sender-profile.pace-changed', {
      workspaceId: actor.workspaceId,
      senderProfileId,
    });
  }

  private async find(actor: Actor, id: string): Promise<SenderProfileRow> {
    const row = await this.profiles.findInWorkspace(actor.workspaceId, id);
    if (!row) throw new SenderProfileNotFoundError();
    return row;
  }

  private async lock(tx: Tx, actor: Actor, id: string): Promise<void> {
    if (!(await this.profiles.lockInWorkspace(tx, actor.workspaceId, id)))
      throw new SenderProfileNotFoundError();
  }

  private async view(row: SenderProfileRow): Promise<SenderProfileView> {
    const [view] = await this.views([row]);
    return view;
  }

  private async views(rows: SenderProfileRow[]): Promise<SenderProfileView[]> {
    const assigned = await this.identities.assignedToProfiles(rows.map((row) => row.id));
    return rows.map((row) => {
      const identities = assigned.get(row.id) ?? [];
      return {
        ...row,
        ...sendabilityOf(identities),
        identityIds: identities.map((identity) => identity.identityId),
      };
    });
  }

  private record(
    tx: Tx,
    actor: Actor,
    action: string,
    id: string,
    metadata: AuditEntry['metadata'] = {},
  ) {
    return this.audit.record(tx, {
      workspaceId: actor.workspaceId,
      actor: { type: 'user', id: actor.userId },
      action,
      target: { type: 'sender_profile', id },
      metadata,
    });
  }
}

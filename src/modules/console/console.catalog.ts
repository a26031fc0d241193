import { Injectable } from '@nestjs/common';
import type { ResourceDef } from './admin/definitions.js';
import { AiRepliesResource } from './admin/resources/ai-replies.resource.js';
import { AuditLogResource } from './admin/resources/audit-log.resource.js';
import { IdentitiesResource } from './admin/resources/identities.resource.js';
import { InboundMessagesResource } from './admin/resources/inbound-messages.resource.js';
import { InboundSubscriptionsResource } from './admin/resources/inbound-subscriptions.resource.js';
import { MailboxesResource } from './admin/resources/mailboxes.resource.js';
import { OrganizationsResource } from './admin/resources/organizations.resource.js';
import { OutboundMessagesResource } from './admin/resources/outbound-messages.resource.js';
import { OutboxEventsResource } from './admin/resources/outbox-events.resource.js';
import { SenderProfilesResource } from './admin/resources/sender-profiles.resource.js';
import { SuppressionsResource } from './admin/resources/suppressions.resource.js';
import { StaffUsersResource } from './admin/resources/staff-users.resource.js';
import { WorkspacesResource } from './admin/resources/workspaces.resource.js';

export const CONSOLE_RESOURCES = [
  WorkspacesResource,
  MailboxesResource,
  OrganizationsResource,
  IdentitiesResource,
  SenderProfilesResource,
  OutboundMessagesResource,
  InboundMessagesResource,
  AiRepliesResource,
  InboundSubscriptionsResource,
  SuppressionsResource,
  OutboxEventsResource,
  AuditLogResource,
  StaffUsersResource,
];

/** The console's resources in menu order. */
@Injectable()
export class ConsoleCatalog {
  private readonly resources: { definition(): ResourceDef }[];

  constructor(
    workspaces: WorkspacesResource,
    mailboxes: MailboxesResource,
    organizations: OrganizationsResource,
    identities: IdentitiesResource,
    senderProfiles: SenderProfilesResource,
    outbound: OutboundMessagesResource,
    inbound: InboundMessagesResource,
    aiReplies: AiRepliesResource,
    subscriptions: InboundSubscriptionsResource,
    suppressions: SuppressionsResource,
    outbox: OutboxEventsResource,
    audit: AuditLogResource,
    staff: StaffUsersResource,
  ) {
    this.resources = [
      workspaces,
      mailboxes,
      organizations,
      identities,
      senderProfiles,
      outbound,
      inbound,
      aiReplies,
      subscriptions,
      suppressions,
      outbox,
      audit,
      staff,
    ];
  }

  definitions(): ResourceDef[] {
    return this.resources.map((resource) => resource.definition());
  }
}

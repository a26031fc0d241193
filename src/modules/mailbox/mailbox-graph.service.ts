import { Injectable } from '@nestjs/common';
import type { Client } from '@microsoft/microsoft-graph-client';
import { AppTokenService } from '../../common/microsoft/app-token.service.js';
import { GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import { MailboxTokenService } from './mailbox-token.service.js';

/** What is needed to reach a mailbox on Graph. */
export interface MailboxAddress {
  id: string;
  tenantId: string;
  msUserId: string;
  connectionType: 'delegated' | 'organization';
}

/** A Graph client with the right token for a mailbox, and the mailbox's path on Graph. */
export interface MailboxGraph {
  client: Client;
  /** `/me` with a delegated token, `/users/{encoded id}` app-only. */
  path: string;
}

/** A mailbox's Graph path: `/me` with a delegated token, `/users/{id}` app-only. */
export function mailboxPath(mailbox: Pick<MailboxAddress, 'connectionType' | 'msUserId'>): string {
  return mailbox.connectionType === 'delegated'
    ? '/me'
    : `/users/${encodeURIComponent(mailbox.msUserId)}`;
}

/**
 * The one way to reach a mailbox's Graph: a delegated mailbox uses its own (refreshed) access
 * token, an organization mailbox the tenant's app-only token.
 */
@Injectable()
export class MailboxGraphService {
  constructor(
    private readonly tokens: MailboxTokenService,
    private readonly appTokens: AppTokenService,
    private readonly graph: GraphClientFactory,
  ) {}

  /** Throws the token service's domain errors (needs re-auth, token unavailable). */
  async forMailbox(
    mailbox: MailboxAddress,
    options: { retries?: number } = {},
  ): Promise<MailboxGraph> {
    const token =
      mailbox.connectionType === 'delegated'
        ? await this.tokens.accessToken(mailbox.id)
        : await this.appTokens.token(mailbox.tenantId);
    return { client: this.graph.forToken(async () => token, options), path: mailboxPath(mailbox) };
  }
}

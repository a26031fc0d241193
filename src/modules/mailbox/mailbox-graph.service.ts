import { Injectable, Logger } from '@nestjs/common';
import { type GraphApi, GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { MailboxTokenService, type PrefetchedCredential } from './mailbox-token.service.js';
import { OrganizationGraphAccess } from './organization-graph-access.js';

/** What is needed to reach a mailbox on Graph. */
export interface MailboxAddress {
  id: string;
  tenantId: string;
  msUserId: string;
  connectionType: 'delegated' | 'organization';
}

export type { PrefetchedCredential } from './mailbox-token.service.js';

/** Options of a Graph call: client retries, and a delegated credential read with a batch. */
export interface MailboxCallOptions {
  retries?: number;
  /** From prefetchDelegated(): spares the call its token read while the token is fresh. */
  credential?: PrefetchedCredential;
}

/** A Graph client with the right token for a mailbox, and the mailbox's path on Graph. */
export interface MailboxGraph {
  client: GraphApi;
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
  private readonly logger = new Logger(MailboxGraphService.name);

  constructor(
    private readonly tokens: MailboxTokenService,
    private readonly organization: OrganizationGraphAccess,
    private readonly graph: GraphClientFactory,
  ) {}

  /**
   * Throws the token services' domain errors (needs re-auth, token unavailable; for an
   * organization mailbox also OrganizationConsentMissingError).
   */
  async forMailbox(
    mailbox: MailboxAddress,
    options: { retries?: number } = {},
  ): Promise<MailboxGraph> {
    return this.withToken(mailbox, await this.token(mailbox), options);
  }

  /**
   * Runs `work` against the mailbox's Graph. Graph answering 401 means it refused the token
   * before doing anything, so the token is renewed once and `work` runs again. For an
   * organization mailbox a 403 is judged too (OrganizationGraphAccess): an access policy hiding
   * the mailbox, or app rights gone with the cached token (renewed once). Any other failure is
   * the caller's to judge.
   */
  async call<T>(
    mailbox: MailboxAddress,
    work: (graph: MailboxGraph) => Promise<T>,
    options: MailboxCallOptions = {},
  ): Promise<T> {
    const token = await this.token(mailbox, options.credential);
    try {
      return await work(this.withToken(mailbox, token, options));
    } catch (error) {
      const { status } = graphFailureOf(error);
      if (status === 403 && mailbox.connectionType === 'organization') {
        const fresh = await this.organization.afterForbidden(mailbox, error);
        return this.organization.retried(mailbox, () =>
          work(this.withToken(mailbox, fresh, options)),
        );
      }
      if (status !== 401) throw error;
      this.logger.warn(
        { mailboxId: mailbox.id },
        'Graph refused the token (401): renewing it once',
      );
      return work(this.withToken(mailbox, await this.renewedToken(mailbox, token), options));
    }
  }

  /**
   * The delegated credentials of a batch of mailboxes, read in one statement, to pass to their
   * calls (`options.credential`) instead of one token read per call.
   */
  prefetchDelegated(mailboxIds: string[]): Promise<Map<string, PrefetchedCredential>> {
    return this.tokens.prefetch(mailboxIds);
  }

  private token(mailbox: MailboxAddress, credential?: PrefetchedCredential): Promise<string> {
    return mailbox.connectionType === 'delegated'
      ? this.tokens.accessToken(mailbox.id, credential)
      : this.organization.token(mailbox);
  }

  private renewedToken(mailbox: MailboxAddress, refused: string): Promise<string> {
    if (mailbox.connectionType === 'delegated') return this.tokens.refreshNow(mailbox.id, refused);
    return this.organization.token(mailbox, true);
  }

  private withToken(
    mailbox: MailboxAddress,
    token: string,
    options: { retries?: number },
  ): MailboxGraph {
    return { client: this.graph.forToken(async () => token, options), path: mailboxPath(mailbox) };
  }
}

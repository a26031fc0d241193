import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import { IdentityDiscoveryService } from '../identity/identity.service.js';
import { MailboxService } from '../mailbox/mailbox.service.js';
import type { Actor } from '../../common/auth/actor.js';
import type { MicrosoftSignIn } from './azure-ad.strategy.js';
import { InvalidReturnToError } from './connect.errors.js';
import {
  allowedReturnTo,
  type ConnectErrorCode,
  connectErrorFromFailure,
  issuerMatchesTenant,
} from './connect.rules.js';
import { type AttemptRow, OAuthAttemptRepository } from './oauth-attempt.repository.js';

const ATTEMPT_TTL_MS = 10 * 60 * 1000;
/** Expired attempts are kept this long for operators, then deleted. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;
const PROFILE_FIELDS = 'id,mail,userPrincipalName,displayName';
const INLINE_DISCOVERY_MS = 5000;

/** What binds an attempt to the browser that started it: an HttpOnly cookie's value. */
export interface BrowserBinding {
  cookieValue: string;
  maxAgeMs: number;
}

export type ConnectResult =
  | { ok: true; returnTo: string; mailboxId: string }
  | { ok: false; returnTo: string; error: ConnectErrorCode };

interface GraphProfile {
  id?: string;
  mail?: string | null;
  userPrincipalName?: string;
  displayName?: string | null;
}

/**
 * The Connect journey: a one-time attempt bound to the workspace and user (10 minutes), the
 * Microsoft sign-in, and the callback that turns it into a connected mailbox or a guide code.
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly attempts: OAuthAttemptRepository,
    private readonly graph: GraphClientFactory,
    private readonly mailboxes: MailboxService,
    private readonly discovery: IdentityDiscoveryService,
  ) {}

  get defaultReturnTo(): string {
    return `${this.config.frontendUrls[0]}/settings/email-setup`;
  }

  /**
   * A one-time attempt for this workspace and user, bound to the calling browser: the answer's
   * cookie carries a secret whose hash the attempt keeps, and the authorize hop and the callback
   * require it, so a link opened in another browser attaches nothing to this workspace.
   */
  async start(
    actor: Actor,
    input: { returnTo?: string; loginHint?: string },
  ): Promise<{ authorizationUrl: string; binding: BrowserBinding }> {
    const { returnTo, loginHint } = input;
    if (returnTo !== undefined && !allowedReturnTo(returnTo, this.config.frontendUrls)) {
      throw new InvalidReturnToError();
    }
    const secret = randomBytes(32).toString('base64url');
    const attempt = await this.attempts.create({
      id: randomBytes(32).toString('base64url'),
      kind: 'connect',
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      returnTo: returnTo ?? this.defaultReturnTo,
      expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
      bindingHash: hashOf(secret),
      loginHint: loginHint ?? null,
    });
    const url = new URL(`${this.config.publicUrl}/v1/microsoft/authorize`);
    url.searchParams.set('attempt', attempt.id);
    const binding = { cookieValue: `${attempt.id}.${secret}`, maxAgeMs: ATTEMPT_TTL_MS };
    return { authorizationUrl: url.toString(), binding };
  }

  /** Keeps passport's OIDC state and nonce with the attempt (server side, never in a cookie). */
  saveOidcSession(attemptId: string, session: Record<string, unknown>): Promise<void> {
    return this.attempts.saveOidcSession(attemptId, session);
  }

  /** Deletes attempts that expired more than a day ago; returns how many. */
  forgetExpiredAttempts(): Promise<number> {
    return this.attempts.deleteExpiredBefore(new Date(Date.now() - KEEP_EXPIRED_MS));
  }

  /**
   * The attempt if it can still be used by this browser: `binding` is the cookie the start
   * answer set; without it, or with another attempt's, there is no attempt.
   */
  async usableAttempt(
    id: string | undefined,
    binding: string | undefined,
  ): Promise<AttemptRow | null> {
    if (!id || !binding) return null;
    const [boundId, secret] = binding.split('.');
    if (boundId !== id || !secret) return null;
    const attempt = await this.attempts.findUsable(id, 'connect', new Date());
    if (!attempt?.bindingHash || !sameHash(attempt.bindingHash, hashOf(secret))) return null;
    return attempt;
  }

  failure(attempt: AttemptRow | null, reason: string, code?: ConnectErrorCode): ConnectResult {
    const error = code ?? connectErrorFromFailure(reason);
    this.logger.warn(
      {
        attemptId: attempt?.id,
        workspaceId: attempt?.workspaceId,
        error,
        reason: reason.slice(0, 200),
      },
      'connect failed',
    );
    return { ok: false, returnTo: attempt?.returnTo ?? this.defaultReturnTo, error };
  }

  /** After passport accepted the sign-in: consume the attempt, check the tenant, fetch the profile, connect. */
  async complete(attempt: AttemptRow, signIn: MicrosoftSignIn): Promise<ConnectResult> {
    if (!(await this.attempts.consume(attempt.id, 'connect', new Date()))) {
      return this.failure(attempt, 'attempt already used', 'invalid_state');
    }
    const { tid, iss, oid } = signIn.claims;
    if (
      !issuerMatchesTenant(iss, tid, this.config.microsoft.authorityHost) ||
      typeof oid !== 'string'
    ) {
      return this.failure(
        attempt,
        'id_token issuer does not match its tenant',
        'token_exchange_failed',
      );
    }
    const profile = await this.fetchProfile(signIn.accessToken);
    if (!profile.ok) return this.failure(attempt, profile.reason, 'profile_fetch_failed');
    const actor = { workspaceId: attempt.workspaceId, userId: attempt.userId };
    const { mailbox } = await this.mailboxes.connectDelegated(actor, {
      tenantId: tid as string,
      msUserId: oid,
      email: profile.email,
      displayName: profile.displayName,
      tokens: {
        accessToken: signIn.accessToken,
        refreshToken: signIn.refreshToken,
        expiresAt: new Date(Date.now() + signIn.expiresInSec * 1000),
        scope: signIn.scope,
      },
    });
    await this.discoverInline(mailbox.id);
    return { ok: true, returnTo: attempt.returnTo, mailboxId: mailbox.id };
  }

  /**
   * The guide promises the mailbox appears with its identities: discover before redirecting
   * when Microsoft answers quickly; otherwise the `mailbox.connected` listener does it.
   */
  private async discoverInline(mailboxId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, INLINE_DISCOVERY_MS);
    });
    const discovery = this.discovery.discover(mailboxId).catch((error: unknown) => {
      this.logger.warn({ mailboxId, err: error }, 'inline identity discovery failed');
    });
    await Promise.race([discovery, timeout]);
    clearTimeout(timer);
  }

  /** `/me` for the address and name, then a mailbox probe (accounts without one cannot connect). */
  private async fetchProfile(
    accessToken: string,
  ): Promise<
    { ok: true; email: string; displayName: string | null } | { ok: false; reason: string }
  > {
    const client = this.graph.forToken(async () => accessToken);
    try {
      const me = (await client.api('/me').select(PROFILE_FIELDS).get()) as GraphProfile;
      const email = me.mail || me.userPrincipalName;
      if (!email) return { ok: false, reason: 'the account has no address' };
      await client.api('/me/mailFolders/inbox').select('id').get();
      return { ok: true, email, displayName: me.displayName ?? null };
    } catch (error) {
      const failure = graphFailureOf(error);
      return { ok: false, reason: `graph ${failure.status} ${failure.code}` };
    }
  }
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

import type { EmulatorContext } from '../context.js';
import type { MailboxPermissionKind, Tenant, User } from '../model.js';
import { applySeed, resolveUser, seedUser, type SeededWorld } from '../seed.js';
import { seedBulkTenant, type BulkTenantResult, type BulkTenantSpec } from '../seed-bulk.js';
import type { SeedSpec, UserSeed } from '../seed-spec.js';
import type { FaultResponse, FaultRule, FaultRuleSpec } from '../store/faults.js';
import type { ApplicationAccessPolicy } from '../store/policies.js';
import type {
  RequestLogEntry,
  RequestLogFilter,
  TokenLogEntry,
  TokenLogFilter,
} from '../store/logs.js';
import { removeServicePrincipal } from '../identity/grants/service-principal.js';
import { GraphControl } from './graph-control.js';
import type { ApplicationAccessPolicySpec, FailNextSpec, TokenLifetimeSpec } from './specs.js';
import { addTokenOutage } from './token-outage.js';
import { issueUserTokens, type IssuedUserTokens } from './user-tokens.js';

export type { ApplicationAccessPolicySpec, FailNextSpec, TokenLifetimeSpec } from './specs.js';

/**
 * The control API in process. Every method has an HTTP twin under `/_emulator/*`.
 * Users are named by object id or by any of their addresses.
 */
export class EmulatorControl {
  private tokenOutageRule: string | null = null;
  /** Graph surface: inbound mail, sent log, subscriptions, notifications, throttling. */
  readonly graph: GraphControl;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly initialSeed: SeedSpec,
  ) {
    this.graph = new GraphControl(ctx);
  }

  seed(spec: SeedSpec): SeededWorld {
    return applySeed(this.ctx.store, spec);
  }

  /** Empties the store and applies the seed the emulator started with. */
  reset(): void {
    this.ctx.store.clear();
    this.tokenOutageRule = null;
    applySeed(this.ctx.store, this.initialSeed);
  }

  /**
   * A tenant with `users` generated users (and mailboxes), fast enough for 10,000+: every n-th a
   * shared, room or equipment mailbox, a blocked account, or an account without a mailbox.
   */
  seedBulkTenant(spec: BulkTenantSpec): BulkTenantResult {
    return seedBulkTenant(this.ctx.store, spec);
  }

  tenants(): Tenant[] {
    return this.ctx.store.directory.listTenants();
  }

  users(tenantId?: string): User[] {
    return this.ctx.store.directory.listUsers(tenantId);
  }

  user(idOrAddress: string): User {
    return resolveUser(this.ctx.store, idOrAddress);
  }

  addUser(tenantId: string, user: UserSeed): User {
    return seedUser(this.ctx.store, this.tenant(tenantId), user);
  }

  /** The mailbox's time zone in mailboxSettings (Exchange answers Windows names). */
  setMailboxTimeZone(user: string, timeZone: string): void {
    this.user(user).timeZone = timeZone;
  }

  addSharedMailbox(tenantId: string, mailbox: Omit<UserSeed, 'kind'>): User {
    return this.addUser(tenantId, { ...mailbox, kind: 'shared' });
  }

  grantSendAs(trustee: string, mailbox: string, kind: MailboxPermissionKind = 'sendAs'): void {
    this.ctx.store.directory.grantMailboxPermission(
      this.user(trustee).id,
      this.user(mailbox).id,
      kind,
    );
  }

  revokeSendAs(trustee: string, mailbox: string, kind: MailboxPermissionKind = 'sendAs'): void {
    this.ctx.store.directory.revokeMailboxPermission(
      this.user(trustee).id,
      this.user(mailbox).id,
      kind,
    );
  }

  addRedirectUri(clientId: string, uri: string): void {
    this.ctx.store.directory.addRedirectUri(clientId, uri);
  }

  setUserConsentAllowed(tenantId: string, allowed: boolean): void {
    this.ctx.store.directory.setUserConsentAllowed(tenantId, allowed);
  }

  /** Tenant-wide consent; roles/scopes default to the app's configured permissions. */
  grantAdminConsent(tenantId: string, clientId: string, roles?: string[], scopes?: string[]): void {
    applySeed(this.ctx.store, { adminConsents: [{ tenantId, clientId, roles, scopes }] });
  }

  /**
   * Withdraws the tenant's admin consent: client_credentials there answers 400
   * `unauthorized_client` (AADSTS700016) and app-only tokens already issued get 403
   * `Authorization_RequestDenied` from Graph.
   */
  revokeAdminConsent(tenantId: string, clientId: string): void {
    this.ctx.store.directory.revokeAdminConsent(tenantId, clientId);
  }

  /**
   * Deletes the app's enterprise application from the tenant: admin consent, user consents and
   * the refresh tokens of the tenant's users for the app go (returns how many tokens). App-only
   * access fails as after `revokeAdminConsent`; users must sign in and consent again.
   */
  removeServicePrincipal(tenantId: string, clientId: string): number {
    const tenant = this.tenant(tenantId);
    const app = this.ctx.store.directory.getApp(clientId);
    if (!app) throw new Error(`Unknown app ${clientId}`);
    if (app.homeTenantId === tenant.id)
      throw new Error(`The app's service principal in its home tenant cannot be removed`);
    return removeServicePrincipal(this.ctx.store, clientId, tenant.id);
  }

  /** Deletes a user: `/users` no longer lists it and Graph answers 404 for it. */
  removeUser(user: string): void {
    this.ctx.store.directory.removeUser(this.user(user).id);
  }

  /** Blocks or allows sign-in (a former employee's blocked account keeps its mailbox). */
  setAccountEnabled(user: string, enabled: boolean): void {
    this.ctx.store.directory.setAccountEnabled(this.user(user).id, enabled);
  }

  /**
   * The tenant's Exchange application access policy (one per tenant, replaced by each call):
   * app-only calls to the listed mailboxes (`DenyAccess`, the default) or to all others
   * (`RestrictAccess`) answer 403 `ErrorAccessDenied` on mail and mailboxSettings routes; the
   * directory (`/users`) still lists them. Mailboxes by id or address.
   */
  setApplicationAccessPolicy(spec: ApplicationAccessPolicySpec): ApplicationAccessPolicy {
    const policy: ApplicationAccessPolicy = {
      tenantId: this.tenant(spec.tenantId).id,
      clientId: spec.clientId ?? null,
      accessRight: spec.accessRight ?? 'DenyAccess',
      mailboxIds: spec.mailboxes.map((m) => this.user(m).id),
    };
    this.ctx.store.policies.setApplicationAccessPolicy(policy);
    return policy;
  }

  removeApplicationAccessPolicy(tenantId: string): boolean {
    return this.ctx.store.policies.removeApplicationAccessPolicy(this.tenant(tenantId).id);
  }

  /** Adds a proxy address exactly as given, e.g. `smtp:new.alias@contoso.com`. */
  addAlias(user: string, proxyAddress: string): void {
    this.ctx.store.directory.addProxyAddress(this.user(user).id, proxyAddress);
  }

  removeAlias(user: string, address: string): void {
    this.ctx.store.directory.removeProxyAddress(this.user(user).id, address);
  }

  setMail(user: string, mail: string | null): void {
    this.ctx.store.directory.setMail(this.user(user).id, mail);
  }

  /**
   * Tokens as if the user had signed in to the app and consented to `scopes` (no pages, no
   * token log entry): for seeding already-connected mailboxes in tests and benchmarks.
   */
  issueUserTokens(user: string, clientId: string, scopes: string[]): IssuedUserTokens {
    return issueUserTokens(this.ctx, this.user(user), clientId, scopes);
  }

  /**
   * Access-token lifetime (`expires_in` and the token's `exp`) for tokens issued from now on:
   * for one tenant when `tenantId` is given, else for every tenant without its own setting.
   * `accessTokenSec: null` removes the setting (back to the start option or 60–90 min).
   */
  setTokenLifetime(spec: TokenLifetimeSpec): void {
    const tenantId = spec.tenantId === undefined ? undefined : this.tenant(spec.tenantId).id;
    this.ctx.store.policies.setAccessTokenLifetime(spec.accessTokenSec, tenantId);
  }

  /** Revokes every refresh token of the user (like "Revoke sessions"); returns how many. */
  revokeRefreshTokens(user: string): number {
    return this.ctx.store.grants.revokeRefreshTokensOfUser(this.user(user).id);
  }

  /** Sent Items copies show up `ms` after sending (Exchange files them late); 0 = at once. */
  setSentItemsDelayMs(ms: number): void {
    this.graph.setSentItemsDelayMs(ms);
  }

  /** Answers the next `times` (default 1) matching requests with the given response. */
  failNext(spec: FailNextSpec): FaultRule {
    const response: FaultResponse = { status: spec.status, body: spec.body, headers: spec.headers };
    return this.ctx.store.faults.add({
      method: spec.method,
      path: spec.path,
      times: spec.times ?? 1,
      response,
    });
  }

  addFault(spec: FaultRuleSpec): FaultRule {
    return this.ctx.store.faults.add(spec);
  }

  /** Latency for every routed request, or only for a route when `path` is given. */
  addLatency(
    ms: number,
    route?: { method?: string; path: string; times?: number },
  ): FaultRule | null {
    if (!route) {
      this.ctx.store.faults.globalLatencyMs = ms;
      return null;
    }
    return this.ctx.store.faults.add({ ...route, delayMs: ms });
  }

  /**
   * Token endpoint answers 503 `temporarily_unavailable` (Entra ID-shaped) until turned back on,
   * or for `forMs` (emulator clock) when given.
   */
  setTokenEndpointAvailable(available: boolean, retryAfterSeconds?: number, forMs?: number): void {
    if (this.tokenOutageRule) this.ctx.store.faults.remove(this.tokenOutageRule);
    this.tokenOutageRule = null;
    if (available) return;
    this.tokenOutageRule = addTokenOutage(this.ctx, retryAfterSeconds, forMs).id;
  }

  faults(): FaultRule[] {
    return this.ctx.store.faults.list();
  }

  removeFault(id: string): boolean {
    return this.ctx.store.faults.remove(id);
  }

  clearFaults(): void {
    this.ctx.store.faults.clear();
    this.tokenOutageRule = null;
  }

  requestLog(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.ctx.store.logs.requests(filter);
  }

  tokenLog(filter?: TokenLogFilter): TokenLogEntry[] {
    return this.ctx.store.logs.tokens(filter);
  }

  clearLogs(): void {
    this.ctx.store.logs.clear();
  }

  /** Moves the emulator's clock (codes, tokens and refresh-token inactivity follow it). */
  advanceClock(ms: number): void {
    this.ctx.store.clock.advance(ms);
  }

  /** A tenant by id or by any of its domains; throws when none matches. */
  private tenant(idOrDomain: string): Tenant {
    const { directory } = this.ctx.store;
    const tenant = directory.getTenant(idOrDomain) ?? directory.findTenant(idOrDomain);
    if (!tenant) throw new Error(`Unknown tenant ${idOrDomain}`);
    return tenant;
  }
}

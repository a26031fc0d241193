import type { AdminConsent, AppRegistration, MailboxPermission, Tenant, User } from '../model.js';
import type { MailboxPermissionKind } from '../model.js';
import type { Clock } from '../clock.js';
import { smtpAddresses } from './addresses.js';

/** Tenants, users, app registrations and the grants between them (Entra ID + Exchange). */
export class DirectoryStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly users = new Map<string, User>();
  private readonly apps = new Map<string, AppRegistration>();
  private readonly adminConsents = new Map<string, AdminConsent>();
  private permissions: MailboxPermission[] = [];

  constructor(private readonly clock: Clock) {}

  addTenant(tenant: Tenant): Tenant {
    const stored = { ...tenant, domains: tenant.domains.map((d) => d.toLowerCase()) };
    this.tenants.set(stored.id, stored);
    return stored;
  }

  getTenant(id: string): Tenant | undefined {
    return this.tenants.get(id);
  }

  /** Resolves the `{tenant}` path segment: a tenant GUID or one of its domains. */
  findTenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    const byId = this.tenants.get(key);
    if (byId) return byId;
    return [...this.tenants.values()].find((t) => t.domains.includes(key));
  }

  listTenants(): Tenant[] {
    return [...this.tenants.values()];
  }

  setUserConsentAllowed(tenantId: string, allowed: boolean): void {
    this.requireTenant(tenantId).userConsentAllowed = allowed;
  }

  addUser(user: User): User {
    this.requireTenant(user.tenantId);
    const stored = { ...user, proxyAddresses: [...user.proxyAddresses] };
    this.users.set(stored.id, stored);
    return stored;
  }

  getUser(id: string): User | undefined {
    return this.users.get(id);
  }

  requireUser(id: string): User {
    const user = this.users.get(id);
    if (!user) throw new Error(`Unknown user ${id}`);
    return user;
  }

  listUsers(tenantId?: string): User[] {
    const all = [...this.users.values()];
    return tenantId ? all.filter((u) => u.tenantId === tenantId) : all;
  }

  /** Finds a user by UPN, primary mail or any SMTP proxy address (case-insensitive). */
  findUserByAddress(address: string): User | undefined {
    const wanted = address.trim().toLowerCase();
    return [...this.users.values()].find(
      (u) =>
        u.userPrincipalName.toLowerCase() === wanted ||
        u.mail?.toLowerCase() === wanted ||
        smtpAddresses(u.proxyAddresses).includes(wanted),
    );
  }

  /** Adds a proxy address exactly as given (e.g. `smtp:alias@contoso.com`). */
  addProxyAddress(userId: string, proxyAddress: string): void {
    const user = this.requireUser(userId);
    if (!user.proxyAddresses.includes(proxyAddress)) user.proxyAddresses.push(proxyAddress);
  }

  /** Removes every proxy address whose address part matches, whatever its prefix or case. */
  removeProxyAddress(userId: string, address: string): void {
    const user = this.requireUser(userId);
    const wanted = address.replace(/^[a-z0-9]+:\s*/i, '').toLowerCase();
    user.proxyAddresses = user.proxyAddresses.filter(
      (p) => p.replace(/^[a-z0-9]+:\s*/i, '').toLowerCase() !== wanted,
    );
  }

  setMail(userId: string, mail: string | null): void {
    this.requireUser(userId).mail = mail;
  }

  /** Deletes the user from the directory (Entra "Delete user"), with its mailbox permissions. */
  removeUser(userId: string): void {
    this.requireUser(userId);
    this.users.delete(userId);
    this.permissions = this.permissions.filter(
      (p) => p.trusteeId !== userId && p.mailboxId !== userId,
    );
  }

  /** Blocks (false) or allows (true) sign-in; the mailbox, if any, stays. */
  setAccountEnabled(userId: string, enabled: boolean): void {
    this.requireUser(userId).accountEnabled = enabled;
  }

  addApp(app: AppRegistration): AppRegistration {
    const stored = { ...app, redirectUris: [...app.redirectUris] };
    this.apps.set(stored.clientId, stored);
    return stored;
  }

  getApp(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId);
  }

  listApps(): AppRegistration[] {
    return [...this.apps.values()];
  }

  addRedirectUri(clientId: string, uri: string): void {
    const app = this.requireApp(clientId);
    if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
  }

  grantMailboxPermission(trusteeId: string, mailboxId: string, kind: MailboxPermissionKind): void {
    this.revokeMailboxPermission(trusteeId, mailboxId, kind);
    this.permissions.push({ trusteeId, mailboxId, kind });
  }

  revokeMailboxPermission(trusteeId: string, mailboxId: string, kind: MailboxPermissionKind): void {
    this.permissions = this.permissions.filter(
      (p) => !(p.trusteeId === trusteeId && p.mailboxId === mailboxId && p.kind === kind),
    );
  }

  hasMailboxPermission(trusteeId: string, mailboxId: string, kind: MailboxPermissionKind): boolean {
    return this.permissions.some(
      (p) => p.trusteeId === trusteeId && p.mailboxId === mailboxId && p.kind === kind,
    );
  }

  listMailboxPermissions(): MailboxPermission[] {
    return [...this.permissions];
  }

  /** Records (or widens) an admin's tenant-wide consent for an app. */
  grantAdminConsent(tenantId: string, clientId: string, roles: string[], scopes: string[]): void {
    const key = `${tenantId}|${clientId}`;
    const prior = this.adminConsents.get(key);
    this.adminConsents.set(key, {
      tenantId,
      clientId,
      roles: union(prior?.roles ?? [], roles),
      scopes: union(prior?.scopes ?? [], scopes),
      grantedAt: this.clock.now(),
    });
  }

  getAdminConsent(tenantId: string, clientId: string): AdminConsent | undefined {
    return this.adminConsents.get(`${tenantId}|${clientId}`);
  }

  revokeAdminConsent(tenantId: string, clientId: string): void {
    this.adminConsents.delete(`${tenantId}|${clientId}`);
  }

  clear(): void {
    this.tenants.clear();
    this.users.clear();
    this.apps.clear();
    this.adminConsents.clear();
    this.permissions = [];
  }

  private requireTenant(id: string): Tenant {
    const tenant = this.tenants.get(id);
    if (!tenant) throw new Error(`Unknown tenant ${id}`);
    return tenant;
  }

  private requireApp(clientId: string): AppRegistration {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`Unknown app ${clientId}`);
    return app;
  }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

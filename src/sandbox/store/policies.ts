/** An Exchange application access policy (`New-ApplicationAccessPolicy`) of one tenant. */
export interface ApplicationAccessPolicy {
  tenantId: string;
  /** The app it limits; null = every app. */
  clientId: string | null;
  /** `DenyAccess`: the app may not reach `mailboxIds`; `RestrictAccess`: only those. */
  accessRight: 'DenyAccess' | 'RestrictAccess';
  mailboxIds: string[];
}

/**
 * Tenant and emulator settings changed through control: access-token lifetimes (global or per
 * tenant, like Entra ID token lifetime policies) and Exchange application access policies.
 */
export class PolicyStore {
  private globalAccessTokenSec: number | null = null;
  private readonly tenantAccessTokenSec = new Map<string, number>();
  private readonly accessPolicies = new Map<string, ApplicationAccessPolicy>();

  /** Sets (or with null removes) the access-token lifetime of a tenant, or of every tenant. */
  setAccessTokenLifetime(seconds: number | null, tenantId?: string): void {
    if (seconds !== null && !(Number.isInteger(seconds) && seconds > 0))
      throw new Error('accessTokenSec must be a positive whole number of seconds, or null');
    if (tenantId === undefined) this.globalAccessTokenSec = seconds;
    else if (seconds === null) this.tenantAccessTokenSec.delete(tenantId);
    else this.tenantAccessTokenSec.set(tenantId, seconds);
  }

  /** The configured lifetime for tokens of the tenant; null = the start option or random. */
  accessTokenLifetime(tenantId?: string): number | null {
    const own = tenantId === undefined ? undefined : this.tenantAccessTokenSec.get(tenantId);
    return own ?? this.globalAccessTokenSec;
  }

  /** Replaces the tenant's application access policy. */
  setApplicationAccessPolicy(policy: ApplicationAccessPolicy): void {
    this.accessPolicies.set(policy.tenantId, { ...policy, mailboxIds: [...policy.mailboxIds] });
  }

  removeApplicationAccessPolicy(tenantId: string): boolean {
    return this.accessPolicies.delete(tenantId);
  }

  applicationAccessPolicy(tenantId: string): ApplicationAccessPolicy | undefined {
    return this.accessPolicies.get(tenantId);
  }

  /** Whether the tenant's policy keeps an app-only caller of `clientId` out of the mailbox. */
  blocksApp(tenantId: string, clientId: string, mailboxId: string): boolean {
    const policy = this.accessPolicies.get(tenantId);
    if (!policy || (policy.clientId !== null && policy.clientId !== clientId)) return false;
    const listed = policy.mailboxIds.includes(mailboxId);
    return policy.accessRight === 'DenyAccess' ? listed : !listed;
  }

  clear(): void {
    this.globalAccessTokenSec = null;
    this.tenantAccessTokenSec.clear();
    this.accessPolicies.clear();
  }
}

import type { AppRegistration } from '../model.js';
import { AadError } from './aad-error.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Delegated permissions the emulator knows, with the wording of Microsoft's consent page. */
const DELEGATED: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
  'User.Read': 'Sign you in and read your profile',
  'User.ReadBasic.All': "Read all users' basic profiles",
  'User.Read.All': "Read all users' full profiles",
  'Mail.Read': 'Read your mail',
  'Mail.ReadBasic': 'Read user basic mail',
  'Mail.ReadWrite': 'Read and write access to your mail',
  'Mail.Send': 'Send mail as you',
  'Mail.Read.Shared': 'Read mail you can access',
  'Mail.ReadWrite.Shared': 'Read and write mail you can access',
  'Mail.Send.Shared': 'Send mail on behalf of others or yourself',
  'MailboxSettings.Read': 'Read your mailbox settings',
  'MailboxSettings.ReadWrite': 'Read and write to your mailbox settings',
  'Calendars.Read': 'Read your calendars',
  'Calendars.ReadWrite': 'Have full access to your calendars',
};

/** Application permissions, with the wording of the admin consent page. */
const APPLICATION: Record<string, string> = {
  'Mail.Send': 'Send mail as any user',
  'Mail.Read': 'Read mail in all mailboxes',
  'Mail.ReadBasic.All': 'Read basic mail in all mailboxes',
  'Mail.ReadWrite': 'Read and write mail in all mailboxes',
  'MailboxSettings.Read': 'Read all user mailbox settings',
  'MailboxSettings.ReadWrite': 'Read and write all user mailbox settings',
  'User.Read.All': "Read all users' full profiles",
  'User.ReadBasic.All': "Read all users' basic profiles",
  'Calendars.ReadWrite': 'Read and write calendars in all mailboxes',
};

const CANONICAL = new Map(Object.keys(DELEGATED).map((name) => [name.toLowerCase(), name]));

export interface RequestedScopes {
  /** OIDC scopes asked for (openid, profile, email, offline_access). */
  oidc: string[];
  /** Graph delegated permissions, canonical case. */
  graph: string[];
}

/**
 * Parses a v2 `scope` parameter. Graph permissions may be bare (`Mail.Send`) or prefixed with
 * the resource; `.default` expands to the app's statically configured permissions.
 */
export function parseDelegatedScopes(raw: string, app: AppRegistration): RequestedScopes {
  const names = raw
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((s) => expand(s, app));
  const canonical = [...new Set(names.map((n) => canonicalScope(n)))];
  return {
    oidc: canonical.filter((s) => (OIDC_SCOPES as readonly string[]).includes(s)),
    graph: canonical.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s)),
  };
}

/** True for `https://graph.microsoft.com/.default` (the only scope client credentials take). */
export function isGraphDefaultScope(raw: string): boolean {
  const scopes = raw.trim().split(/\s+/);
  return scopes.length === 1 && stripResource(scopes[0]) === '.default';
}

export function delegatedDescription(scope: string): string {
  return DELEGATED[scope] ?? scope;
}

export function applicationDescription(permission: string): string {
  return APPLICATION[permission] ?? permission;
}

function expand(scope: string, app: AppRegistration): string[] {
  const bare = stripResource(scope);
  if (bare === null) throw invalidScope(scope);
  return bare === '.default' ? app.delegatedPermissions : [bare];
}

function canonicalScope(name: string): string {
  const found = CANONICAL.get(name.toLowerCase());
  if (!found) throw invalidScope(name);
  return found;
}

/** The permission name without a Graph resource prefix; null for another resource. */
function stripResource(scope: string): string | null {
  const lower = scope.toLowerCase();
  for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) {
    if (lower.startsWith(prefix)) return scope.slice(prefix.length);
  }
  return /^[a-z]+:\/\//i.test(scope) || scope.includes('/') ? null : scope;
}

function invalidScope(scope: string): AadError {
  return new AadError(
    'invalid_scope',
    70011,
    `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  );
}

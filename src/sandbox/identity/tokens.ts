import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import type { AppRegistration, User } from '../model.js';
import { signRs256 } from './jwt.js';
import { GRAPH_APP_ID } from './scopes.js';

export interface TokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/** v2 issuer of a tenant on this host; tokens pair it with their `tid`. */
export function issuerFor(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}

/**
 * Issuer of Graph access tokens. Graph takes v1 tokens, whose issuer is the STS host
 * (`https://sts.windows.net/{tid}/` in Azure); here the emulator is that host.
 */
export function accessTokenIssuer(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/`;
}

/**
 * Entra ID gives Graph tokens a random 60–90 minute life unless a lifetime is set: per tenant or
 * globally through control (`setTokenLifetime`), else by the `accessTokenLifetimeSec` option.
 */
export function accessTokenLifetime(ctx: EmulatorContext, tenantId?: string): number {
  return (
    ctx.store.policies.accessTokenLifetime(tenantId) ??
    ctx.settings.accessTokenLifetimeSec ??
    3600 + Math.floor(Math.random() * 1800)
  );
}

interface UserTokenInput {
  user: User;
  app: AppRegistration;
  scopes: string[];
  lifetimeSec: number;
}

export function mintUserAccessToken(ctx: EmulatorContext, input: UserTokenInput): string {
  const { user, app } = input;
  const iat = Math.floor(ctx.store.clock.nowMs() / 1000);
  return sign(ctx, {
    aud: GRAPH_APP_ID,
    iss: accessTokenIssuer(ctx.baseUrl, user.tenantId),
    iat,
    nbf: iat,
    exp: iat + input.lifetimeSec,
    acct: 0,
    amr: ['pwd'],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: '1',
    family_name: user.surname ?? undefined,
    given_name: user.givenName ?? undefined,
    idtyp: 'user',
    name: user.displayName,
    oid: user.id,
    scp: input.scopes.join(' '),
    sub: pairwiseSubject(user.id, GRAPH_APP_ID),
    tid: user.tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    uti: uti(),
    ver: '1.0',
  });
}

interface AppTokenInput {
  tenantId: string;
  app: AppRegistration;
  roles: string[];
  lifetimeSec: number;
}

export function mintAppAccessToken(ctx: EmulatorContext, input: AppTokenInput): string {
  const iat = Math.floor(ctx.store.clock.nowMs() / 1000);
  const servicePrincipalId = pairwiseGuid(input.app.clientId, input.tenantId);
  return sign(ctx, {
    aud: GRAPH_APP_ID,
    iss: accessTokenIssuer(ctx.baseUrl, input.tenantId),
    iat,
    nbf: iat,
    exp: iat + input.lifetimeSec,
    app_displayname: input.app.displayName,
    appid: input.app.clientId,
    appidacr: '1',
    idp: accessTokenIssuer(ctx.baseUrl, input.tenantId),
    idtyp: 'app',
    oid: servicePrincipalId,
    roles: input.roles.length > 0 ? input.roles : undefined,
    sub: servicePrincipalId,
    tid: input.tenantId,
    uti: uti(),
    ver: '1.0',
  });
}

interface IdTokenInput {
  user: User;
  app: AppRegistration;
  nonce: string | null;
  oidcScopes: string[];
  /** Set for hybrid flows (`code id_token`): the id_token then carries `c_hash`. */
  code?: string;
}

export function mintIdToken(ctx: EmulatorContext, input: IdTokenInput): string {
  const { user, app } = input;
  const iat = Math.floor(ctx.store.clock.nowMs() / 1000);
  const profile = input.oidcScopes.includes('profile');
  return sign(ctx, {
    aud: app.clientId,
    iss: issuerFor(ctx.baseUrl, user.tenantId),
    iat,
    nbf: iat,
    exp: iat + 3600,
    c_hash: input.code ? halfHash(input.code) : undefined,
    email: input.oidcScopes.includes('email') ? (user.mail ?? undefined) : undefined,
    name: profile ? user.displayName : undefined,
    nonce: input.nonce ?? undefined,
    oid: user.id,
    preferred_username: profile ? user.userPrincipalName : undefined,
    sub: pairwiseSubject(user.id, app.clientId),
    tid: user.tenantId,
    uti: uti(),
    ver: '2.0',
  });
}

/** `sub` is pairwise: the same user has a different subject in each app. */
export function pairwiseSubject(objectId: string, clientId: string): string {
  return createHash('sha256').update(`${objectId}|${clientId}`).digest('base64url').slice(0, 43);
}

function pairwiseGuid(a: string, b: string): string {
  const hex = createHash('sha256').update(`${a}|${b}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** OIDC `c_hash`: left half of the SHA-256 of the code, base64url. */
function halfHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

function uti(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function sign(ctx: EmulatorContext, claims: Record<string, unknown>): string {
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return signRs256({ ...defined, aio: randomUUID() }, ctx.keys.privateKey, ctx.keys.kid);
}

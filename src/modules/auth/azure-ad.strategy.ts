import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type IProfile, OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../common/config/app-config.js';
import { DELEGATED_SCOPES } from '../../common/microsoft/scopes.js';

export const AZURE_AD = 'azuread';
export const CALLBACK_PATH = '/v1/microsoft/callback';

/** What a successful Microsoft sign-in hands to the connect flow. */
export interface MicrosoftSignIn {
  claims: Record<string, unknown>;
  accessToken: string;
  refreshToken: string | undefined;
  expiresInSec: number;
  scope: string;
}

/**
 * passport-azure-ad's OIDC strategy (authorization code flow, nonce-checked id_token; the
 * library has no PKCE). State and nonce live in the sign-in attempt's row (passport-runner.ts
 * hands the library a "session" loaded from it), never in a cookie. Issuer validation is ours
 * (multi-tenant: `iss` must match `tid`), done by the connect service.
 */
@Injectable()
export class AzureAdStrategy extends PassportStrategy(OIDCStrategy, AZURE_AD, true) {
  constructor(config: AppConfig) {
    trustExtraCa(config.microsoft.caPem);
    const redirectUrl = `${config.publicUrl}${CALLBACK_PATH}`;
    super({
      identityMetadata: `${config.microsoft.authorityHost}/${config.microsoft.tenant}/v2.0/.well-known/openid-configuration`,
      clientID: config.microsoft.clientId ?? 'unconfigured',
      clientSecret: config.microsoft.clientSecret ?? 'unconfigured',
      responseType: 'code',
      responseMode: 'query',
      redirectUrl,
      allowHttpForRedirectUrl: redirectUrl.startsWith('http:'),
      validateIssuer: false,
      passReqToCallback: false,
      useCookieInsteadOfSession: false,
      scope: DELEGATED_SCOPES.filter((s) => s !== 'openid'),
      nonceLifetime: 600,
      loggingLevel: 'error',
      loggingNoPII: true,
    });
  }

  validate(
    _iss: string,
    _sub: string,
    _profile: IProfile,
    claims: Record<string, unknown>,
    accessToken: string,
    refreshToken: string,
    params: { expires_in?: number | string; scope?: string },
  ): MicrosoftSignIn {
    return {
      claims,
      accessToken,
      refreshToken: refreshToken || undefined,
      expiresInSec: Number(params.expires_in ?? 3600),
      scope: params.scope ?? '',
    };
  }
}

/**
 * passport-azure-ad fetches metadata and redeems codes on https.globalAgent with no CA
 * option. With an extra CA configured (sandbox, private clouds) it is added to the public
 * roots there; certificate checks stay on.
 */
function trustExtraCa(caPem: string | undefined): void {
  if (!caPem) return;
  https.globalAgent.options.ca = [...rootCertificates, caPem];
}

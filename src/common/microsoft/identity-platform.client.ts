import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MicrosoftHttp } from './microsoft-http.js';
import { TokenGrantError } from './token-grant.error.js';

export interface TokenSet {
  accessToken: string;
  /** Absent for client credentials; Microsoft rotates it on every refresh. */
  refreshToken?: string;
  expiresAt: Date;
  scope: string;
  /** Only from the authorization_code grant with `openid`. */
  idToken?: string;
}

interface TokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number | string;
  scope?: string;
  error?: string;
  error_codes?: number[];
  correlation_id?: string;
  trace_id?: string;
}

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** The identity platform's token endpoint (code, refresh and client-credentials grants). */
@Injectable()
export class IdentityPlatformClient {
  private readonly logger = new Logger(IdentityPlatformClient.name);

  constructor(
    private readonly config: AppConfig,
    private readonly http: MicrosoftHttp,
  ) {}

  tokenEndpoint(tenant: string): string {
    return `${this.config.microsoft.authorityHost}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  }

  /** Redeems a refresh token; the answer carries a new refresh token to store. */
  refresh(tenant: string, refreshToken: string, scopes: string[]): Promise<TokenSet> {
    return this.grant(tenant, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    });
  }

  /** Redeems an authorization code (confidential client); the answer carries the id_token. */
  redeemCode(
    tenant: string,
    input: { code: string; redirectUri: string; scopes: string[] },
  ): Promise<TokenSet> {
    return this.grant(tenant, {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      scope: input.scopes.join(' '),
    });
  }

  /** App-only token for a tenant that granted admin consent. */
  clientCredentials(tenant: string): Promise<TokenSet> {
    return this.grant(tenant, { grant_type: 'client_credentials', scope: GRAPH_DEFAULT_SCOPE });
  }

  private async grant(tenant: string, params: Record<string, string>): Promise<TokenSet> {
    const body = new URLSearchParams({
      client_id: this.config.microsoft.clientId ?? '',
      client_secret: this.config.microsoft.clientSecret ?? '',
      ...params,
    });
    const started = Date.now();
    const res = await this.http
      .post(
        this.tokenEndpoint(tenant),
        { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body.toString(),
      )
      .catch((error: unknown) => {
        this.logger.warn(
          { grant: params.grant_type, err: describe(error) },
          'token endpoint unreachable',
        );
        throw new TokenGrantError(0, 'network_error', [], undefined, undefined, undefined);
      });
    const json = (await res.json().catch(() => ({}))) as TokenResponse;
    const log = { grant: params.grant_type, status: res.status, ms: Date.now() - started };
    if (!res.ok || !json.access_token) {
      const error = tokenError(res.status, json, res.header('retry-after'));
      this.logger.warn(
        {
          ...log,
          error: error.error,
          errorCodes: error.errorCodes,
          correlationId: error.correlationId,
          traceId: error.traceId,
        },
        'token request failed',
      );
      throw error;
    }
    this.logger.debug(log, 'token issued');
    return toTokenSet(json);
  }
}

function tokenError(
  status: number,
  json: TokenResponse,
  retryAfter: string | null,
): TokenGrantError {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new TokenGrantError(
    status,
    json.error ?? (status >= 500 ? 'server_error' : 'invalid_response'),
    Array.isArray(json.error_codes) ? json.error_codes : [],
    seconds,
    json.correlation_id,
    json.trace_id,
  );
}

function toTokenSet(json: TokenResponse): TokenSet {
  const expiresIn = Number(json.expires_in ?? 3600);
  return {
    accessToken: json.access_token as string,
    refreshToken: json.refresh_token,
    expiresAt: new Date(Date.now() + expiresIn * 1000),
    scope: json.scope ?? '',
    idToken: json.id_token,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
}

import type { RawEnv } from './env.schema.js';
import type { ConfigProblem } from './problems.js';
import { secretWeakness } from './secret-strength.js';

type BearerEnv = Pick<
  RawEnv,
  'NODE_ENV' | 'APP_JWT_SECRET' | 'APP_JWKS_URL' | 'APP_JWT_ISSUER' | 'APP_JWT_AUDIENCE'
>;

/**
 * Workspace bearer-token settings: a strong secret wherever one is given; a key outside sandbox
 * and test mode; in production also the issuer and audience (with a secret and with JWKS), so
 * tokens minted for another service are refused.
 */
export function bearerProblems(raw: BearerEnv, sandbox: boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const weakness = raw.APP_JWT_SECRET ? secretWeakness(raw.APP_JWT_SECRET) : undefined;
  if (weakness) problems.push({ variable: 'APP_JWT_SECRET', message: weakness });
  const production = raw.NODE_ENV === 'production';
  if (!raw.APP_JWT_SECRET && !raw.APP_JWKS_URL && !sandbox && raw.NODE_ENV !== 'test') {
    problems.push({
      variable: 'APP_JWT_SECRET',
      message: production
        ? 'or APP_JWKS_URL is required in production'
        : 'or APP_JWKS_URL is required when a Microsoft app is configured',
    });
  }
  if (!production) return problems;
  for (const variable of ['APP_JWT_ISSUER', 'APP_JWT_AUDIENCE'] as const) {
    if (raw[variable]) continue;
    const claim = variable === 'APP_JWT_ISSUER' ? 'issuer' : 'audience';
    const message = `is required in production (otherwise tokens of any ${claim} are accepted)`;
    problems.push({ variable, message });
  }
  return problems;
}

import type { RawEnv } from './env.schema.js';
import type { ConfigProblem } from './problems.js';

type MicrosoftEnv = Pick<
  RawEnv,
  'NODE_ENV' | 'MICROSOFT_SANDBOX' | 'MICROSOFT_CLIENT_ID' | 'MICROSOFT_CLIENT_SECRET'
>;

export interface SandboxDecision {
  sandbox: boolean;
  problems: ConfigProblem[];
}

/**
 * Sandbox mode only when asked: MICROSOFT_SANDBOX=true, or (outside production) no Microsoft
 * app configured and MICROSOFT_SANDBOX unset. Production never runs the emulator.
 */
export function decideSandbox(raw: MicrosoftEnv): SandboxDecision {
  const hasApp = Boolean(raw.MICROSOFT_CLIENT_ID || raw.MICROSOFT_CLIENT_SECRET);
  if (raw.NODE_ENV === 'production') return { sandbox: false, problems: inProduction(raw) };
  if (raw.MICROSOFT_SANDBOX === true) {
    return { sandbox: true, problems: hasApp ? [contradiction()] : [] };
  }
  if (raw.MICROSOFT_SANDBOX === undefined && !hasApp) return { sandbox: true, problems: [] };
  const reason = raw.MICROSOFT_SANDBOX === false ? 'when MICROSOFT_SANDBOX=false' : undefined;
  return { sandbox: false, problems: missingApp(raw, reason) };
}

function inProduction(raw: MicrosoftEnv): ConfigProblem[] {
  const problems = missingApp(raw, 'in production (sandbox mode is never implied there)');
  if (raw.MICROSOFT_SANDBOX === true) {
    problems.unshift({
      variable: 'MICROSOFT_SANDBOX',
      message: 'must not be true in production: the emulator is not a production setting',
    });
  }
  return problems;
}

function contradiction(): ConfigProblem {
  return {
    variable: 'MICROSOFT_SANDBOX',
    message:
      'is true but a Microsoft app is configured (MICROSOFT_CLIENT_ID/MICROSOFT_CLIENT_SECRET): ' +
      'unset one or the other',
  };
}

/** Names each missing half of the app registration; `reason` says why it is required. */
function missingApp(raw: MicrosoftEnv, reason?: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!raw.MICROSOFT_CLIENT_ID) {
    problems.push({
      variable: 'MICROSOFT_CLIENT_ID',
      message: `is required ${reason ?? 'when MICROSOFT_CLIENT_SECRET is set (unset both for sandbox mode)'}`,
    });
  }
  if (!raw.MICROSOFT_CLIENT_SECRET) {
    problems.push({
      variable: 'MICROSOFT_CLIENT_SECRET',
      message: `is required ${reason ?? 'when MICROSOFT_CLIENT_ID is set'}`,
    });
  }
  return problems;
}

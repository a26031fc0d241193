import type { AppConfig } from '../common/config/app-config.js';
import { type M365Emulator, startM365Emulator, type M365EmulatorOptions } from './emulator.js';
import { ADELE, MEGAN, SANDBOX_APP, SUPPORT_MAILBOX, SVC_SCANNER } from './seed.js';

export interface SandboxForService {
  emulator: M365Emulator;
  /** The service's config pointed at the emulator (endpoints, app registration, trusted CA). */
  config: AppConfig;
}

/**
 * Sandbox mode (no Microsoft app configured): starts the Microsoft 365 emulator in-process and
 * points the service at it through the same settings a national cloud would use.
 */
export async function startSandboxForService(
  config: AppConfig,
  options: M365EmulatorOptions = {},
): Promise<SandboxForService> {
  const emulator = await startM365Emulator({ seed: 'default', ...options });
  for (const path of ['/v1/microsoft/callback', '/v1/microsoft/admin-consent/callback']) {
    emulator.control.addRedirectUri(SANDBOX_APP.clientId, `${config.publicUrl}${path}`);
  }
  const wired = config.withMicrosoft({
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    authorityHost: emulator.authorityHost,
    graphBaseUrl: emulator.graphBaseUrl,
    caPem: emulator.caCertPem,
  });
  return { emulator, config: wired };
}

/** What `npm start` prints so a person can try the product. */
export function sandboxSummary(emulator: M365Emulator): Record<string, unknown> {
  return {
    emulator: emulator.baseUrl,
    controlApi: `${emulator.baseUrl}/_emulator`,
    accounts: {
      [ADELE.mail]: 'user with aliases; Send As on the shared mailbox',
      [MEGAN.mail]: 'user with an alias',
      [SUPPORT_MAILBOX.mail]: 'shared mailbox',
      [SVC_SCANNER.userPrincipalName]: 'account without a mailbox',
    },
  };
}

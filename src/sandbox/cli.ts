import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startM365Emulator, type M365Emulator } from './emulator.js';
import { SANDBOX_APP } from './default-seed.js';
import { smtpAddresses } from './store/addresses.js';

/**
 * `node dist/sandbox/cli.js`: the emulator with the default seed on SANDBOX_PORT (4443).
 * Writes the CA certificate to a file clients can trust and prints what to configure.
 */
async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT ?? 4443);
  const emulator = await startM365Emulator({ port, seed: 'default' });
  const caFile = writeCa(emulator.caCertPem);
  printSummary(emulator, caFile);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function writeCa(pem: string): string {
  const dir = process.env.SANDBOX_CA_DIR ?? join(tmpdir(), 'm365-emulator');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'ca.pem');
  writeFileSync(file, pem);
  return file;
}

function printSummary(emulator: M365Emulator, caFile: string): void {
  const lines = [
    'Microsoft 365 emulator (sandbox) is running',
    `  Authority host : ${emulator.authorityHost}   (e.g. ${emulator.authorityHost}/organizations/v2.0/.well-known/openid-configuration)`,
    `  Graph base URL : ${emulator.graphBaseUrl}/v1.0`,
    `  Control API    : ${emulator.baseUrl}/_emulator`,
    `  CA certificate : ${caFile}   (trust it, e.g. NODE_EXTRA_CA_CERTS=${caFile})`,
    `  Sandbox app    : client id ${SANDBOX_APP.clientId}`,
    `                   secret    ${SANDBOX_APP.clientSecret}`,
    '                   redirect  any http://localhost:* or http://127.0.0.1:* URI',
    '  Accounts (pick one on the sign-in page):',
    ...emulator.control.users().map((u) => {
      const tenant = emulator.store.directory.getTenant(u.tenantId)?.defaultDomain ?? u.tenantId;
      const aliases = smtpAddresses(u.proxyAddresses).filter((a) => a !== u.mail?.toLowerCase());
      const tags = [
        u.kind === 'user' ? '' : `${u.kind} mailbox`,
        u.kind === 'user' && !u.accountEnabled ? 'disabled' : '',
        u.isAdmin ? 'admin' : '',
        u.hasMailbox ? '' : 'no mailbox',
      ].filter(Boolean);
      return `    ${u.userPrincipalName.padEnd(34)} ${u.displayName.padEnd(26)} ${tenant}${tags.length ? ` [${tags.join(', ')}]` : ''}${aliases.length ? ` aliases: ${aliases.join(', ')}` : ''}`;
    }),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Emulator failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});

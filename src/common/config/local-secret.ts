import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a secret generated for sandbox/test use under DATA_DIR, creating it on first use with
 * mode 0600. Creation is atomic and exclusive: concurrent starts end up sharing one value.
 */
export function loadOrCreateLocalSecret(
  path: string,
  generate: () => string,
): { value: string; created: boolean } {
  const created = createIfMissing(path, generate);
  return { value: readFileSync(path, 'utf8').trim(), created };
}

function createIfMissing(path: string, generate: () => string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

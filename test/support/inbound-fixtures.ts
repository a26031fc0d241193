import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';

const DIR = join(findProjectRoot(), 'test', 'fixtures', 'inbound');

export interface Fixture {
  name: string;
  raw: string;
}

/** The raw messages of a fixture folder (`loop` or `human`), with the placeholders filled in. */
export function inboundFixtures(
  folder: 'loop' | 'human',
  values: { mailbox: string; alias?: string },
): Fixture[] {
  return readdirSync(join(DIR, folder))
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((name) => ({
      name,
      raw: readFileSync(join(DIR, folder, name), 'utf8')
        .replaceAll('{{MAILBOX}}', values.mailbox)
        .replaceAll('{{ALIAS}}', values.alias ?? values.mailbox),
    }));
}

export function inboundFixture(folder: 'loop' | 'human', name: string, mailbox: string): string {
  const found = inboundFixtures(folder, { mailbox }).find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${folder}/${name}`);
  return found.raw;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { createApp } from '../../src/app.factory.js';
import { sandboxSummary, startSandboxForService } from '../../src/sandbox/service-wiring.js';
import { EmulatorHttp } from '../sandbox/support/https.js';
import { freePort } from '../sandbox/support/ports.js';
import { ARTIFACTS, type Browser, launchChromium } from './browser.js';
import { createTestDatabase } from './database.js';
import type { SandboxApp } from './sandbox-app.js';

/**
 * The service as `npm start` runs it in sandbox mode, with the emulator's accounts handed to the
 * Email Setup page the way bootstrap does, and the background jobs running.
 */
export async function createEmailSetupApp(env: Record<string, string> = {}): Promise<SandboxApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = await createTestDatabase({ PUBLIC_URL: baseUrl, JOBS_ENABLED: 'true', ...env });
  const { emulator, config } = await startSandboxForService(db.config);
  const summary = sandboxSummary(emulator);
  const accounts = Object.entries(summary.accounts as Record<string, string>);
  const app = await createApp(
    config.withSandboxInfo({
      emulatorUrl: String(summary.emulator),
      controlApiUrl: String(summary.controlApi),
      accounts: accounts.map(([address, description]) => ({ address, description })),
    }),
  );
  await app.listen(port, '127.0.0.1');
  const ms = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
  const close = async () => {
    await app.close();
    await ms.close();
    await emulator.close();
    await db.drop();
  };
  return { app, db, emulator, baseUrl, ms, close };
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core on the page as it is (WCAG 2.x A/AA and best practices). Evaluated through the
 * DevTools protocol, so the page's own Content-Security-Policy stays in force.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const browser = globalThis as unknown as { axe: AxeRunner; document: unknown };
    const result = await browser.axe.run(browser.document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** Only the violations that block or seriously hinder someone (axe's serious and critical). */
export function serious(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

interface AxeRunner {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }[];
  }>;
}

export function shot(name: string): string {
  return join(ARTIFACTS, `email-setup-${name}.png`);
}

/** A screenshot of the page from the top of `from` to the bottom of `to` (however tall). */
export async function shotSpan(page: Page, from: Locator, to: Locator, name: string) {
  const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
  const [top, bottom] = [await from.boundingBox(), await to.boundingBox()];
  if (!top || !bottom) throw new Error(`screenshot ${name}: element not visible`);
  const width = page.viewportSize()?.width ?? 1280;
  const y = Math.max(0, top.y + scrollY - 12);
  const height = bottom.y + scrollY + bottom.height + 12 - y;
  await page.screenshot({ path: shot(name), fullPage: true, clip: { x: 0, y, width, height } });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh Chromium with one tab at desktop size, each wait at most 10 s. */
export async function launchPage(): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.setViewportSize(DESKTOP);
  page.setDefaultTimeout(10_000);
  return { browser, page };
}

/**
 * A tab on the Email Setup page of `t`, signed in as the page signs in by itself in sandbox mode;
 * the page's errors and its console errors are pushed onto `problems`. Returns the page's token.
 */
export async function openEmailSetupPage(
  t: SandboxApp,
  problems: string[],
): Promise<{ browser: Browser; page: Page; token: string }> {
  const { browser, page } = await launchPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(`${t.baseUrl}/email-setup`);
  await page.locator('body[data-ready]').waitFor();
  const token =
    (await page.evaluate(() => sessionStorage.getItem('scendcore.emailSetup.token'))) ?? '';
  return { browser, page, token };
}

export async function reloadPage(page: Page) {
  await page.reload();
  await page.locator('body[data-ready]').waitFor();
}

/** The id of the element that has the keyboard focus. */
export const focusedId = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
        .activeElement?.id,
  );

export const expectAccessible = async (page: Page) =>
  expect(serious(await axeViolations(page))).toEqual([]);

/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no
 * browser download). `.ci/run` installs it. Without it the browser tests fail, saying what to
 * install: a missing browser must not pass for a green run. `PARLEY_SKIP_BROWSER_TESTS=1`
 * skips them on purpose (reported as skipped, with the reason).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildBrowserBundles, buildSignalingBundles } from '../../sdk/scripts/browser-bundles.js';
import { buildAdmin } from '../../../apps/admin/build.js';
import { buildDemo } from '../../../apps/demo/build.js';

export const chromiumPath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** False when the tests run; else why they are skipped (for `test(..., { skip })`). */
export const noBrowser: string | false =
  process.env.PARLEY_SKIP_BROWSER_TESTS === '1' ? 'PARLEY_SKIP_BROWSER_TESTS=1' : false;

/** Where screenshots go (gitignored). */
export const testOutputDir = fileURLToPath(new URL('../../../test-output/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath))
    throw new Error(
      `no Chromium at ${chromiumPath}: apt-get install chromium (or set PARLEY_CHROMIUM, ` +
        'or PARLEY_SKIP_BROWSER_TESTS=1 to skip the browser tests)',
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds the SDK bundles, the demo and the admin console into the folders the server serves. */
export async function buildWebAssets(): Promise<void> {
  await buildBrowserBundles();
  await buildSignalingBundles();
  await buildDemo();
  await buildAdmin();
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(testOutputDir, { recursive: true });
  return path.join(testOutputDir, name);
}

/** One person on a demo page, and what went wrong in that page. */
export interface DemoUser {
  uid: string;
  page: Page;
  /** Uncaught page errors (and console errors, when asked for): none is expected. */
  problems: string[];
}

/**
 * A demo page of `server` (its ws:// URL) in a fresh browser context of `viewport`, at `path`
 * (e.g. `/?app=x`), recording page errors, and console errors when `consoleErrors`.
 */
export async function openDemoUser(
  browser: Browser,
  serverUrl: string,
  uid: string,
  viewport: { width: number; height: number },
  { path = '/', consoleErrors = false }: { path?: string; consoleErrors?: boolean } = {},
): Promise<DemoUser> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const user: DemoUser = { uid, page, problems: [] };
  page.on('pageerror', (e) => user.problems.push(`pageerror: ${e.message}`));
  if (consoleErrors)
    page.on('console', (m) => {
      if (m.type() === 'error') user.problems.push(`console: ${m.text()}`);
    });
  const origin = serverUrl.replace(/^ws/, 'http').replace(/\/$/, '');
  await page.goto(`${origin}${path}`);
  return user;
}

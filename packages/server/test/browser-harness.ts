/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no
 * browser download). `.ci/run` installs it. Without it the browser tests fail, saying what to
 * install: a missing browser must not pass for a green run. `PARLEY_SKIP_BROWSER_TESTS=1`
 * skips them on purpose (reported as skipped, with the reason).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
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

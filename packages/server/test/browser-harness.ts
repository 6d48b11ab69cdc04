/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no
 * browser download). `.ci/run` installs it; elsewhere the browser tests are skipped, saying why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildBrowserBundles, buildSignalingBundles } from '../../sdk/scripts/browser-bundles.js';
import { buildAdmin } from '../../../apps/admin/build.js';
import { buildDemo } from '../../../apps/demo/build.js';

export const chromiumPath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** False when the tests can run; else why they are skipped (for `test(..., { skip })`). */
export const noBrowser: string | false = fs.existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath}: apt-get install chromium (or set PARLEY_CHROMIUM)`;

/** Where screenshots go (gitignored). */
export const testOutputDir = fileURLToPath(new URL('../../../test-output/', import.meta.url));

export function launchChromium(): Promise<Browser> {
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

/**
 * The admin console in Chromium against a live server: sign in with the REST keys, see a user
 * go online, send them a message, kick them — on a laptop-sized and on a phone-sized page.
 * Screenshots land in test-output/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../src/index.js';
import { buildWebAssets, launchChromium, noBrowser, screenshotPath } from './browser-harness.js';
import { APP, client, loggedIn, testServer, until } from '@parley/testkit';

const WAIT = { timeout: 10_000 };

describe('the admin console', { skip: noBrowser }, () => {
  let server: RunningServer;
  let browser: Browser;
  let origin: string;
  const problems: string[] = [];

  before(async () => {
    await buildWebAssets();
    server = await testServer({
      restKeys: [{ key: 'admin', secret: 'hunter2' }],
      statsIntervalMs: 500,
    });
    browser = await launchChromium();
    origin = server.url.replace(/^ws/, 'http');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // A wrong secret is a 401 the page shows; the browser logs the failed request too.
      if (m.type() === 'error' && !/401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${origin}/admin?app=${APP}`);
    return page;
  }

  async function signIn(page: Page, secret = 'hunter2'): Promise<void> {
    await page.getByLabel('Key').fill('admin');
    await page.getByLabel('Secret').fill(secret);
    assert.equal(await page.getByLabel('App ID').inputValue(), APP);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('a wrong secret is refused on the page; the right one opens the console with live charts and this node', async () => {
    const page = await open({ width: 1280, height: 860 });
    await signIn(page, 'wrong');
    await page.getByRole('alert').getByText('Wrong key or secret.').waitFor(WAIT);
    await signIn(page);
    await page.locator('#console').waitFor(WAIT);
    await page.locator(`#nodes tr[data-node="${server.node}"]`).waitFor(WAIT);
    // Attached, not visible: with no session yet the line is flat (a box of no height).
    await page
      .locator('figure[data-series="sessions"] polyline')
      .waitFor({ state: 'attached', ...WAIT });
    assert.match(
      (await page.locator('#where').textContent()) ?? '',
      new RegExp(`node ${server.node} · embedded`),
    );
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['laptop', { width: 1280, height: 860 }],
    ['phone', { width: 390, height: 800 }],
  ] as const)
    test(`on a ${name}: a user goes online, gets a message from the console, and is kicked`, async () => {
      const uid = `adm-${name}`;
      const page = await open(viewport);
      await signIn(page);
      await page.locator('#console').waitFor(WAIT);
      await page.getByLabel('User ID').fill(uid);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.locator(`#user-facts[data-uid="${uid}"][data-presence="offline"]`).waitFor(WAIT);

      const user = client(server);
      const got: string[] = [];
      const states: string[] = [];
      user.on('MessageFromPeer', (m, from) => got.push(`${from}: ${m.text}`));
      user.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
      await user.login({ uid });
      const room = user.createChannel(`room-${name}`);
      await room.join();
      await user.setLocalUserAttributes({ device: name });
      // The panel refreshes with every poll: the user shows online, in its channel.
      await page.locator(`#user-facts[data-uid="${uid}"][data-presence="online"]`).waitFor(WAIT);
      await page.locator('#user-facts').getByText(`room-${name}`).waitFor(WAIT);
      await page.locator('#user-facts').getByText(`device = ${name}`).waitFor(WAIT);
      await page
        .locator('figure[data-series="sessions"] .now', { hasText: /^[1-9]/ })
        .waitFor(WAIT);

      const form = page.getByRole('form', { name: `Message ${uid}` });
      await form.getByLabel('Message').fill('hello from the console');
      await form.getByRole('button', { name: 'Send' }).click();
      await page.locator('#toast', { hasText: `Message to ${uid}: delivered` }).waitFor(WAIT);
      await until(() => got.length === 1, 'the message');
      assert.deepEqual(got, ['admin: hello from the console']);

      await page.getByRole('button', { name: `# room-${name} · 1` }).click();
      await page
        .locator(`#channel-facts[data-channel="room-${name}"]`)
        .getByText(uid)
        .waitFor(WAIT);
      await page.screenshot({ path: screenshotPath(`admin-${name}.png`), fullPage: true });

      await page
        .getByRole('group', { name: `Moderate ${uid}` })
        .getByRole('button', { name: 'Kick' })
        .click();
      await until(() => states.includes('ABORTED/BANNED_BY_SERVER'), 'the kick');
      await page.locator(`#user-facts[data-uid="${uid}"][data-presence="offline"]`).waitFor(WAIT);
      await page.screenshot({ path: screenshotPath(`admin-${name}-kicked.png`), fullPage: true });
      // A kick is not a ban: the user comes back at once.
      const back = await loggedIn(server, uid);
      await back.logout();
      await page.context().close();
    });

  test('no page error or console error', () => {
    assert.deepEqual(problems, []);
  });
});

/**
 * The demo page when things go wrong (issue 14, point 6), in Chromium: bad input, a dropped
 * connection and a server restart, calling someone offline, a 390 px phone screen, notices
 * beside the composer. alice is on a laptop-sized page, bob on a phone-sized one; screenshots
 * go to test-output/demo-robust-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import type { RunningServer } from '../src/index.js';
import {
  buildWebAssets,
  type DemoUser,
  launchChromium,
  noBrowser,
  openDemoUser,
  screenshotPath,
} from './browser-harness.js';
import { tempDir, testServer } from '@parley/testkit';

const WAIT = { timeout: 15_000 };

type User = DemoUser;

type Box = { x: number; y: number; width: number; height: number };

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  assert.ok(b, 'visible');
  return b;
}

describe('the demo page when things go wrong', { skip: noBrowser }, () => {
  let server: RunningServer;
  let browser: Browser;
  let alice: User;
  let bob: User;
  const dataDir = tempDir();
  let port = 0;

  before(async () => {
    await buildWebAssets();
    server = await testServer({ dataDir });
    port = Number(new URL(server.url).port);
    browser = await launchChromium();
    const open = (uid: string, viewport: { width: number; height: number }) =>
      openDemoUser(browser, server.url, uid, viewport, { path: '/?app=robust_app' });
    alice = await open('alice', { width: 1024, height: 700 });
    bob = await open('bob', { width: 390, height: 760 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a bad user id at login is an inline message; nothing else happens', async () => {
    const p = bob.page;
    await p.getByLabel('User ID', { exact: true }).fill('bob/1');
    await p.getByRole('button', { name: 'Log in' }).click();
    const error = p.locator('#login-error');
    await error.waitFor(WAIT);
    assert.match((await error.textContent())!, /User ID: “\/” not allowed/);
    assert.equal(await p.locator('#state').getAttribute('data-state'), 'DISCONNECTED');
    assert.ok(await p.locator('#login-view').isVisible());
    for (const u of [alice, bob]) {
      await u.page.getByLabel('User ID', { exact: true }).fill(u.uid);
      await u.page.getByRole('button', { name: 'Log in' }).click();
      await u.page.locator('#state[data-state="CONNECTED"]').waitFor(WAIT);
    }
    assert.ok(await error.isHidden(), 'the message goes once the id is fixed');
  });

  test('channel id "my room/1": an inline message under the field, no tab, no page error', async () => {
    const p = alice.page;
    await p.getByLabel('Channel').fill('my room/1');
    await p.getByRole('button', { name: 'Join' }).click();
    const error = p.locator('#channel-error');
    await error.waitFor(WAIT);
    assert.match((await error.textContent())!, /Channel id: “\/” not allowed/);
    assert.equal(await p.getByLabel('Channel').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await p.getByRole('tab').allTextContents(), ['+ Join']);
    assert.equal(await p.getByLabel('Channel').inputValue(), 'my room/1', 'the input is kept');
    await p.screenshot({ path: screenshotPath('demo-robust-bad-channel.png') });
    assert.deepEqual(alice.problems, []);
  });

  test('an invalid contact is refused inline and never listed', async () => {
    const p = alice.page;
    await p.getByLabel('User ID to add').fill('carol/x');
    await p.getByRole('button', { name: 'Add' }).click();
    const error = p.locator('#add-person-error');
    await error.waitFor(WAIT);
    assert.match((await error.textContent())!, /User ID: “\/” not allowed/);
    assert.equal(await p.locator('.person[data-uid="carol/x"]').count(), 0);
    await p.getByLabel('User ID to add').fill('alice');
    await p.getByRole('button', { name: 'Add' }).click();
    assert.equal(await error.textContent(), 'That is you.');
    assert.deepEqual(alice.problems, []);
  });

  test('both join #lobby; calling an offline user ends with "carol is offline"; the notice leaves the composer free', async () => {
    for (const u of [alice, bob]) {
      await u.page.getByLabel('Channel').fill('lobby');
      await u.page.getByRole('button', { name: 'Join' }).click();
      await u.page.getByRole('tab', { name: '# lobby' }).waitFor(WAIT);
    }
    await alice.page.locator('.notice', { hasText: 'bob joined' }).waitFor(WAIT);
    for (const u of [alice, bob]) {
      await openPeople(u);
      await u.page.getByLabel('User ID to add').fill('carol');
      await u.page.getByRole('button', { name: 'Add' }).click();
      await u.page.locator('.person[data-uid="carol"][data-presence="offline"]').waitFor(WAIT);
      await u.page
        .locator('.person[data-uid="carol"]')
        .getByRole('button', { name: 'Call' })
        .click();
      const notice = u.page.getByRole('alert').getByText('carol is offline');
      await notice.waitFor(WAIT);
      await u.page.getByRole('dialog').waitFor({ state: 'hidden', ...WAIT });
      assert.ok(
        !overlap(await box(u.page.getByRole('alert')), await box(u.page.locator('#composer'))),
        `${u.uid}: the notice covers the composer`,
      );
      await u.page.screenshot({ path: screenshotPath(`demo-robust-${u.uid}-offline-call.png`) });
    }
  });

  test('at 390 px the call card covers neither the People header nor the composer', async () => {
    await alice.page
      .locator('.person[data-uid="bob"]')
      .getByRole('button', { name: 'Call' })
      .click();
    const dialog = bob.page.getByRole('dialog');
    await dialog.getByText('alice is calling').waitFor(WAIT);
    const card = await box(dialog);
    assert.ok(!overlap(card, await box(bob.page.locator('#people summary'))), 'People header');
    assert.ok(!overlap(card, await box(bob.page.locator('#composer'))), 'composer');
    assert.ok(card.x >= 0 && card.x + card.width <= 390, 'inside the screen');
    await bob.page.screenshot({ path: screenshotPath('demo-robust-bob-390-ringing.png') });
    await dialog.getByRole('button', { name: 'Refuse' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await alice.page.getByRole('dialog').waitFor({ state: 'hidden', ...WAIT });
  });

  test('server down: the page says so, presence greys, sending is disabled; back after restart with no duplicate joined/left lines', async () => {
    const notices = (u: User) => u.page.locator('.notice').allTextContents();
    const before = { alice: await notices(alice), bob: await notices(bob) };
    assert.deepEqual(before.alice, ['bob joined']);

    await server.close();
    for (const u of [alice, bob]) {
      await u.page.locator('#conn-banner').waitFor(WAIT);
      assert.match((await u.page.locator('#conn-banner').textContent())!, /Connection lost/);
      assert.ok(await u.page.getByLabel('Message', { exact: true }).isDisabled());
      assert.ok(await u.page.locator('#composer button').isDisabled());
      const other = u === alice ? 'bob' : 'alice';
      assert.equal(
        await u.page.locator(`.person[data-uid="${other}"]`).getAttribute('data-presence'),
        'unknown',
      );
      await u.page.screenshot({ path: screenshotPath(`demo-robust-${u.uid}-offline.png`) });
    }

    server = await testServer({ dataDir, port });
    for (const u of [alice, bob]) {
      await u.page.locator('#state[data-state="CONNECTED"]').waitFor(WAIT);
      await u.page.locator('#conn-banner').waitFor({ state: 'hidden', ...WAIT });
      assert.ok(await u.page.getByLabel('Message', { exact: true }).isEnabled());
    }
    // Both are back in #lobby: a message each way shows it, and every replayed join is in by then.
    await say(alice, 'back again');
    await bob.page
      .locator('.msg[data-from="alice"] .text', { hasText: 'back again' })
      .waitFor(WAIT);
    await say(bob, 'me too');
    await alice.page.locator('.msg[data-from="bob"] .text', { hasText: 'me too' }).waitFor(WAIT);
    await alice.page.locator('.person[data-uid="bob"][data-presence="online"]').waitFor(WAIT);
    assert.deepEqual(await notices(alice), before.alice);
    assert.deepEqual(await notices(bob), before.bob);
    await alice.page.screenshot({ path: screenshotPath('demo-robust-alice-after-restart.png') });
  });

  test('no page error on either page', () => {
    assert.deepEqual(alice.problems, []);
    assert.deepEqual(bob.problems, []);
  });
});

async function say(u: User, text: string): Promise<void> {
  await u.page.getByLabel('Message', { exact: true }).fill(text);
  await u.page.getByRole('button', { name: 'Send' }).click();
}

async function openPeople(u: User): Promise<void> {
  const people = u.page.locator('#people');
  if (!(await people.evaluate((d) => (d as { open?: boolean }).open)))
    await people.locator('summary').click();
}

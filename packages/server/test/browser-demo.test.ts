/**
 * End to end: two Chromium pages of the demo (a laptop-sized one for alice, a phone-sized one
 * for bob) against a live server, driven through the page as a person would. Screenshots of
 * each page land in test-output/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../src/index.js';
import {
  buildWebAssets,
  type DemoUser,
  launchChromium,
  noBrowser,
  openDemoUser,
  screenshotPath,
} from './browser-harness.js';
import { testServer } from '@parley/testkit';

const WAIT = { timeout: 10_000 };

type User = DemoUser;

describe('the demo page, two users', { skip: noBrowser }, () => {
  let server: RunningServer;
  let browser: Browser;
  let alice: User;
  let bob: User;

  before(async () => {
    await buildWebAssets();
    server = await testServer();
    browser = await launchChromium();
    const open = (uid: string, viewport: { width: number; height: number }) =>
      openDemoUser(browser, server.url, uid, viewport, { consoleErrors: true });
    alice = await open('alice', { width: 1024, height: 700 });
    bob = await open('bob', { width: 390, height: 760 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('each logs in and the header shows the connection state', async () => {
    for (const u of [alice, bob]) {
      const state = u.page.getByRole('status');
      assert.equal(await state.getAttribute('data-state'), 'DISCONNECTED');
      await u.page.getByLabel('User ID', { exact: true }).fill(u.uid);
      await u.page.getByRole('button', { name: 'Log in' }).click();
      await u.page.locator('#state[data-state="CONNECTED"]').waitFor(WAIT);
      assert.equal(await state.textContent(), 'Online');
      assert.equal(await u.page.locator('#me').textContent(), u.uid);
    }
  });

  test('both join #lobby and chat both ways; members show with online dots', async () => {
    for (const u of [alice, bob]) {
      await u.page.getByLabel('Channel').fill('lobby');
      await u.page.getByRole('button', { name: 'Join' }).click();
      await u.page.getByRole('tab', { name: '# lobby' }).waitFor(WAIT);
    }
    await say(alice, 'hello bob');
    await heard(bob, 'alice', 'hello bob');
    await say(bob, 'hi alice, all good here');
    await heard(alice, 'bob', 'hi alice, all good here');
    await alice.page.getByText('bob joined').waitFor(WAIT);
    // Member list with presence dots (alice's list is open on a laptop-sized screen).
    await alice.page.locator('.person[data-uid="bob"][data-presence="online"]').waitFor(WAIT);
    const members = alice.page.getByRole('region', { name: 'In #lobby · 2' });
    assert.deepEqual(await members.locator('.person').evaluateAll(uids), ['alice', 'bob']);
  });

  test('a topic set on one page shows on the other (channel attributes)', async () => {
    await alice.page.getByRole('button', { name: 'Edit topic' }).click();
    await alice.page.getByLabel('Topic').fill('Friday release');
    await alice.page.getByRole('button', { name: 'Save' }).click();
    await bob.page.locator('#topic .topic-text', { hasText: 'Friday release' }).waitFor(WAIT);
  });

  test('a peer message opens a direct conversation with an unread badge', async () => {
    await openPeople(bob);
    await bob.page
      .locator('.person[data-uid="alice"]')
      .getByRole('button', { name: 'Message' })
      .click();
    await say(bob, 'psst, just to you');
    await bob.page.locator('.msg.mine[data-receipt="delivered"]').waitFor(WAIT);
    const tab = alice.page.getByRole('tab', { name: /@ bob/ });
    await tab.locator('.badge', { hasText: '1' }).waitFor(WAIT);
    await tab.click();
    await heard(alice, 'bob', 'psst, just to you');
    await alice.page.getByRole('tab', { name: '# lobby' }).click();
    await shoot(alice, 'chat');
    await shoot(bob, 'chat');
  });

  test('alice calls bob: refused, then canceled, then accepted and hung up', async () => {
    const dialog = (u: User) => u.page.getByRole('dialog');
    const button = (u: User, name: string) => dialog(u).getByRole('button', { name });

    await call(alice, 'bob');
    await dialog(bob).getByText('alice is calling').waitFor(WAIT);
    await button(bob, 'Refuse').click();
    await alice.page.getByRole('alert').getByText('bob declined').waitFor(WAIT);
    await dialog(alice).waitFor({ state: 'hidden', ...WAIT });
    await dialog(bob).waitFor({ state: 'hidden', ...WAIT });

    await call(alice, 'bob');
    await dialog(bob).getByText('alice is calling').waitFor(WAIT);
    await dialog(alice).getByText('Ringing…').waitFor(WAIT);
    await button(alice, 'Cancel').click();
    await bob.page.getByRole('alert').getByText('alice canceled the call').waitFor(WAIT);
    await dialog(bob).waitFor({ state: 'hidden', ...WAIT });

    await call(alice, 'bob');
    await dialog(bob).getByText('alice is calling').waitFor(WAIT);
    await shoot(bob, 'ringing');
    await button(bob, 'Accept').click();
    await dialog(alice).getByText('In a call with bob').waitFor(WAIT);
    await dialog(bob).getByText('In a call with alice').waitFor(WAIT);

    await shoot(alice, 'in-call');
    await shoot(bob, 'in-call');

    await button(bob, 'Hang up').click();
    await alice.page.getByRole('alert').getByText('bob hung up').waitFor(WAIT);
    await dialog(alice).waitFor({ state: 'hidden', ...WAIT });
  });

  test('neither page logged an error', () => {
    assert.deepEqual(alice.problems, []);
    assert.deepEqual(bob.problems, []);
  });
});

/** test-output/demo-<uid>-<moment>.png */
async function shoot(u: User, moment: string): Promise<void> {
  await u.page.screenshot({ path: screenshotPath(`demo-${u.uid}-${moment}.png`) });
}

async function say(u: User, text: string): Promise<void> {
  await u.page.getByLabel('Message', { exact: true }).fill(text);
  await u.page.getByRole('button', { name: 'Send' }).click();
}

async function heard(u: User, from: string, text: string): Promise<void> {
  await u.page.locator(`.msg[data-from="${from}"] .text`, { hasText: text }).waitFor(WAIT);
}

/** On a phone the people list starts folded. */
async function openPeople(u: User): Promise<void> {
  const people = u.page.locator('#people');
  if (!(await people.evaluate((d) => (d as { open?: boolean }).open)))
    await people.locator('summary').click();
}

async function call(u: User, peer: string): Promise<void> {
  await openPeople(u);
  await u.page.locator(`.person[data-uid="${peer}"]`).getByRole('button', { name: 'Call' }).click();
}

function uids(els: { getAttribute(name: string): string | null }[]): (string | null)[] {
  return els.map((e) => e.getAttribute('data-uid'));
}

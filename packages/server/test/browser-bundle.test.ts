import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type AgoraRTMType from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { buildWebAssets, launchChromium, noBrowser } from './browser-harness.js';
import { testServer } from '@parley/testkit';

/** What the page's global scope holds once the IIFE ran. */
type PageGlobals = { AgoraRTM?: typeof AgoraRTMType };

let server: RunningServer;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  await buildWebAssets();
  server = await testServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test(
  'the IIFE bundle in Chromium: two clients on the page origin log in and exchange a peer message',
  { skip: noBrowser },
  async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const origin = server.url.replace(/^ws/, 'http').replace(/\/$/, '');
    await page.goto(`${origin}/`);
    assert.equal(
      await page.evaluate(() => typeof (globalThis as PageGlobals).AgoraRTM),
      'undefined',
    );
    await page.addScriptTag({ url: '/sdk/agora-rtm.iife.js' });

    // No serverUrl: in a page served by Parley the SDK connects to the page's origin.
    const seen = await page.evaluate(async () => {
      const AgoraRTM = (globalThis as PageGlobals).AgoraRTM!;
      const ann = AgoraRTM.createInstance('browser_app');
      const ben = AgoraRTM.createInstance('browser_app');
      const states: string[] = [];
      ann.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
      const received = new Promise<{ text?: string; from: string; ts: number }>((resolve) =>
        ben.on('MessageFromPeer', (m, from, props) =>
          resolve({ text: m.text, from, ts: props.serverReceivedTs }),
        ),
      );
      await ann.login({ uid: 'ann' });
      await ben.login({ uid: 'ben' });
      const online = await ann.queryPeersOnlineStatus(['ben', 'nobody']);
      const sent = await ann.sendMessageToPeer({ text: 'hello from a browser tab' }, 'ben');
      const message = await received;
      await ann.logout();
      await ben.logout();
      return {
        version: AgoraRTM.VERSION,
        connected: AgoraRTM.ConnectionState.CONNECTED,
        states,
        online,
        sent,
        message,
        now: Date.now(),
      };
    });

    assert.equal(typeof seen.version, 'string');
    assert.equal(seen.connected, 'CONNECTED');
    assert.deepEqual(seen.states, [
      'CONNECTING/LOGIN',
      'CONNECTED/LOGIN_SUCCESS',
      'DISCONNECTED/LOGOUT',
    ]);
    assert.deepEqual(seen.online, { ben: true, nobody: false });
    assert.deepEqual(seen.sent, { hasPeerReceived: true });
    assert.equal(seen.message.text, 'hello from a browser tab');
    assert.equal(seen.message.from, 'ann');
    assert.ok(Math.abs(seen.now - seen.message.ts) < 60_000, 'serverReceivedTs is a wall-clock ms');
    assert.deepEqual(pageErrors, []);
    await page.close();
  },
);

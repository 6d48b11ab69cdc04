/**
 * The Signaling browser bundle in Chromium: a page written as for Agora's AgoraSig.js (a
 * `<script src>` and the global `Signal`) logs in, joins, chats with a page on the RTM bundle,
 * and asks `channel_query_num`, timed in the page. The pages are on the server's own origin;
 * their scripts come from the server's `/sdk/`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../src/index.js';
import { buildWebAssets, launchChromium, noBrowser } from './browser-harness.js';
import { testServer } from '@parley/testkit';

let server: RunningServer;
let browser: Browser;
let origin: string;

before(async () => {
  if (noBrowser) return;
  await buildWebAssets();
  server = await testServer();
  origin = server.url.replace(/^ws/, 'http').replace(/\/$/, '');
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A legacy Signaling Web app, as it would have been written for AgoraSig.js. */
const signalingPage = `<!doctype html>
<meta charset="utf-8"><title>signaling</title>
<script src="/sdk/agora-sig.js"></script>
<script>
  window.log = [];
  var signal = Signal('browser_sig_app');
  var session = signal.login('sally', '_no_need_token');
  session.onLoginSuccess = function (uid) {
    log.push(['onLoginSuccess', typeof uid]);
    var channel = session.channelJoin('sig-room');
    window.channel = channel;
    channel.onChannelJoined = function () {
      log.push(['onChannelJoined']);
      channel.messageChannelSend('hello from Signaling');
    };
    channel.onChannelUserList = function (users) {
      log.push(['onChannelUserList', users.map(function (u) { return u[0]; }).sort()]);
    };
    channel.onMessageChannelReceive = function (account, uid, msg) {
      if (account !== session.account) log.push(['onMessageChannelReceive', account, msg]);
    };
  };
  session.onLoginFailed = function (ecode) { log.push(['onLoginFailed', ecode]); };
</script>`;

const rtmPage = `<!doctype html>
<meta charset="utf-8"><title>rtm</title>
<script src="/sdk/agora-rtm.iife.js"></script>`;

async function open(path: string, html: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A document of the server's own origin with nothing in it (a 404: no demo, no CSP), then
  // the app's HTML written into it. (A page playwright answered itself would be outside the
  // local network, and Chromium's local-network checks would block its WebSocket.)
  const res = await page.goto(`${origin}${path}`);
  assert.equal(res?.status(), 404);
  await page.setContent(html);
  return { page, errors };
}

type Log = unknown[][];
const logOf = (page: Page) => page.evaluate(() => (globalThis as { log?: Log }).log ?? []);

async function waitLog(page: Page, name: string): Promise<Log> {
  await page.waitForFunction(
    (n) => ((globalThis as { log?: Log }).log ?? []).some((e) => e[0] === n),
    name,
  );
  return logOf(page);
}

test(
  'a Signaling page on /sdk/agora-sig.js logs in, joins, chats with an RTM page and gets channel_query_num at once',
  { skip: noBrowser },
  async () => {
    const rtm = await open('/rtm.html', rtmPage);
    // The RTM page is in the channel first and answers the Signaling page's message.
    await rtm.page.evaluate(async () => {
      type Rtm = typeof import('@parley/sdk').default;
      const AgoraRTM = (globalThis as unknown as { AgoraRTM: Rtm }).AgoraRTM;
      const client = AgoraRTM.createInstance('browser_sig_app');
      await client.login({ uid: 'rita' });
      const channel = client.createChannel('sig-room');
      const g = globalThis as unknown as { heard: string[] };
      g.heard = [];
      channel.on('ChannelMessage', (m, from) => {
        g.heard.push(`${from}: ${m.text}`);
        void channel.sendMessage({ text: `hi ${from}, from RTM` });
      });
      await channel.join();
    });

    const sig = await open('/signaling.html', signalingPage);
    const log = await waitLog(sig.page, 'onMessageChannelReceive');
    assert.deepEqual(log, [
      ['onLoginSuccess', 'number'],
      ['onChannelJoined'],
      ['onChannelUserList', ['rita', 'sally']],
      ['onMessageChannelReceive', 'rita', 'hi sally, from RTM'],
    ]);
    assert.deepEqual(
      await rtm.page.evaluate(() => (globalThis as unknown as { heard: string[] }).heard),
      ['sally: hello from Signaling'],
    );

    // channel_query_num, one after another, each timed in the page.
    const timed = await sig.page.evaluate(async () => {
      type S = { invoke(f: string, r: object, cb: (err: string, resp: unknown) => void): void };
      const session = (globalThis as unknown as { session: S }).session;
      const runs: { ms: number; err: string; resp: unknown }[] = [];
      for (let k = 0; k < 10; k++) {
        const t0 = performance.now();
        const [err, resp] = await new Promise<[string, unknown]>((resolve) =>
          session.invoke('io.agora.signal.channel_query_num', { name: 'sig-room' }, (e, r) =>
            resolve([e, r]),
          ),
        );
        runs.push({ ms: performance.now() - t0, err, resp });
      }
      return runs;
    });
    for (const r of timed) assert.deepEqual([r.err, r.resp], ['', { result: 'ok', num: 2 }]);
    const ms = timed.map((r) => r.ms).sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)]!;
    console.log(
      `channel_query_num in Chromium, page-side, 10 in a row: median ${median.toFixed(1)} ms, ` +
        `max ${ms[ms.length - 1]!.toFixed(1)} ms`,
    );
    // Batched onto RTM's one call a second, queries 2–10 each took about 1.1 s. The acceptance
    // is 100 ms; the bound here is RTM's interval, so a busy machine does not make it flaky.
    assert.ok(ms[ms.length - 1]! < 1000, `a query took ${ms[ms.length - 1]} ms`);

    assert.deepEqual(sig.errors, []);
    assert.deepEqual(rtm.errors, []);
    await sig.page.close();
    await rtm.page.close();
  },
);

test(
  'agora-sig.esm.js: default export Signal, the same API as the global',
  { skip: noBrowser },
  async () => {
    const { page, errors } = await open('/esm.html', '<!doctype html><title>esm</title>');
    const seen = await page.evaluate(async (url) => {
      const mod = (await import(url)) as {
        default: (appId: string) => {
          login(a: string, t: string): object;
          getSDKVersion(): string;
        };
        SignalingCode: Record<string, number>;
      };
      const s = mod.default('browser_sig_app');
      const session = s.login('esa', '_no_need_token') as Record<string, unknown>;
      return {
        version: s.getSDKVersion(),
        methods: [
          'channelJoin',
          'messageInstantSend',
          'invoke',
          'channelInviteUser2',
          'logout',
        ].filter((m) => typeof session[m] === 'function'),
        code: mod.SignalingCode.LOGOUT_E_USER,
      };
    }, `${origin}/sdk/agora-sig.esm.js`);
    assert.equal(seen.version, '1.4.0');
    assert.equal(seen.methods.length, 5);
    assert.equal(seen.code, 101);
    assert.deepEqual(errors, []);
    await page.close();
  },
);

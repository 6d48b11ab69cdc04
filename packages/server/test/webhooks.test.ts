/**
 * Webhooks against a real receiver over HTTP: Agora Notifications' envelope and both
 * signatures, the events and their payloads, retries with one noticeId on the manual clock,
 * per-app order, the bound of the queue, and that a slow receiver slows no message.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { ManualClock, APP, loggedIn, tempDir, testServer, until } from '@parley/testkit';
import { startServer } from '../src/index.js';
import { basic, restClient } from './rest-client.js';
import { WebhookReceiver, freePort, type Notice } from './webhook-receiver.js';

const SECRET = 'whsec-test';
const hooks = (url: string) => ({ webhookUrl: url, webhookSecret: SECRET });

test('each event is one signed POST in Agora Notifications’ envelope, with the documented eventType and payload', async (t) => {
  const rx = await WebhookReceiver.start(SECRET);
  const server = await testServer({ ...hooks(rx.url), restKeys: [{ key: 'k', secret: 's' }] });
  t.after(async () => {
    await server.close();
    await rx.close();
  });
  const alice = await loggedIn(server, 'wh-alice');
  const bob = await loggedIn(server, 'wh-bob');
  const room = alice.createChannel('wh-room');
  await room.join();
  await alice.sendMessageToPeer({ text: 'hi bob' }, 'wh-bob');
  await room.sendMessage({ text: 'hi room' });
  await alice.setChannelAttributes('wh-room', { topic: 'hooks' });
  await restClient(server.port, basic('k', 's'))(
    'POST',
    `/dev/v2/project/${APP}/rtm/users/wh-ops/peer_messages`,
    {
      body: { destination: 'wh-bob', payload: 'from the backend' },
    },
  );
  await room.leave();
  await Promise.all([alice.logout(), bob.logout()]);
  await until(() => rx.of(102).length === 2, 'both logouts');
  await until(() => rx.of(105).length === 2, 'both peer messages');
  assert.ok(
    rx.received.every((r) => r.signed),
    'both signatures verify on every notice',
  );
  for (const { notice } of rx.received) {
    assert.deepEqual(Object.keys(notice), [
      'noticeId',
      'productId',
      'eventType',
      'notifyMs',
      'payload',
    ]);
    assert.equal(notice.productId, 11);
    assert.match(notice.noticeId, /^[0-9a-f-]{36}$/);
  }
  const payloads = (type: number) => rx.of(type).map((n) => ({ ...n.payload, ts: 0 }));
  assert.deepEqual(
    rx.of(101).map((n) => n.payload.userId),
    ['wh-alice', 'wh-bob'],
  );
  assert.deepEqual(
    rx.of(102).map((n) => [n.payload.userId, n.payload.reason]),
    [
      ['wh-alice', 'logout'],
      ['wh-bob', 'logout'],
    ],
  );
  assert.deepEqual(payloads(103), [
    { channelName: 'wh-room', userId: 'wh-alice', memberCount: 1, ts: 0 },
  ]);
  assert.deepEqual(payloads(104), [
    { channelName: 'wh-room', userId: 'wh-alice', memberCount: 0, ts: 0 },
  ]);
  const peers = rx.of(105).map((n) => n.payload);
  assert.deepEqual(
    peers.map((p) => [p.from, p.to, p.messageType, p.text, p.source, p.outcome]),
    [
      ['wh-alice', 'wh-bob', 'TEXT', 'hi bob', 'sdk', 'delivered'],
      ['wh-ops', 'wh-bob', 'TEXT', 'from the backend', 'rest', 'delivered'],
    ],
  );
  assert.deepEqual(payloads(106), [
    {
      channelName: 'wh-room',
      from: 'wh-alice',
      messageType: 'TEXT',
      text: 'hi room',
      source: 'sdk',
      ts: 0,
    },
  ]);
  assert.deepEqual(payloads(107), [
    { channelName: 'wh-room', updatedBy: 'wh-alice', attributes: { topic: 'hooks' }, ts: 0 },
  ]);
});

test('PARLEY_WEBHOOK_EVENTS picks the events sent', async (t) => {
  const rx = await WebhookReceiver.start(SECRET);
  const server = await testServer({ ...hooks(rx.url), webhookEvents: ['logout'] });
  t.after(async () => {
    await server.close();
    await rx.close();
  });
  const c = await loggedIn(server, 'wh-only');
  await c.createChannel('wh-x').join();
  await c.logout();
  await until(() => rx.received.length === 1, 'the logout');
  assert.deepEqual(
    rx.received.map((r) => r.notice.eventType),
    [102],
  );
});

test('a receiver that fails twice then accepts gets the notice three times, with one noticeId, the first retry within 2 s', async (t) => {
  const clock = new ManualClock();
  const rx = await WebhookReceiver.start(SECRET);
  rx.respond = (_n, k) => (k < 2 ? 500 : 200);
  const server = await testServer({ ...hooks(rx.url), webhookEvents: ['login'], clock });
  t.after(async () => {
    await server.close();
    await rx.close();
  });
  const outcomes: string[] = [];
  server.events.on('webhook.delivery', (e) => outcomes.push(e.outcome));
  const c = await loggedIn(server, 'wh-retry');
  await until(() => outcomes.length === 1, 'the first attempt, failed');
  await clock.advance(999);
  assert.equal(rx.received.length, 1, 'no retry before its time');
  await clock.advance(1);
  await until(() => outcomes.length === 2, 'the first retry, 1 s after, failed');
  await clock.advance(1999);
  assert.equal(rx.received.length, 2, 'the second retry waits twice as long');
  await clock.advance(1);
  await until(() => outcomes.length === 3, 'the second retry');
  await clock.advance(60_000);
  assert.deepEqual(outcomes, ['failed', 'failed', 'delivered']);
  assert.equal(rx.received.length, 3, 'delivered: no more attempts');
  const ids = new Set(rx.received.map((r) => r.notice.noticeId));
  assert.equal(ids.size, 1, 'one noticeId on every attempt');
  assert.ok(rx.received.every((r) => r.signed));
  const times = rx.received.map((r) => r.notice.notifyMs);
  assert.deepEqual(
    [times[1]! - times[0]!, times[2]! - times[1]!],
    [1000, 2000],
    'notifyMs is each attempt’s',
  );
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  assert.match(metrics, /parley_webhook_deliveries_total\{outcome="failed"\} 2\n/);
  assert.match(metrics, /parley_webhook_deliveries_total\{outcome="delivered"\} 1\n/);
  assert.match(metrics, /parley_webhook_queue_depth 0\n/);
  // The manual clock ran past the client's liveness: the session may be gone already.
  await c.logout().catch(() => undefined);
});

test('a notice failing for PARLEY_WEBHOOK_RETRY_FOR_MS is given up, counted and logged; events of one app leave in order', async (t) => {
  const clock = new ManualClock();
  const rx = await WebhookReceiver.start(SECRET);
  rx.respond = (n) => (n.payload.userId === 'wh-doomed' ? 503 : 200);
  const lines: string[] = [];
  const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: tempDir(),
      ...hooks(rx.url),
      webhookEvents: ['login'],
      webhookRetryForMs: 60_000,
      webhookRetryMaxMs: 20_000,
      clock,
    },
    pino({ level: 'warn' }, sink),
  );
  t.after(async () => {
    await server.close();
    await rx.close();
  });
  const outcomes: string[] = [];
  server.events.on('webhook.delivery', (e) => outcomes.push(`${e.outcome}:${e.attempts}`));
  const doomed = await loggedIn(server, 'wh-doomed');
  const next = await loggedIn(server, 'wh-next');
  await until(() => outcomes.length === 1, 'the first attempt');
  while (!outcomes.some((o) => o.startsWith('expired'))) {
    const seen = outcomes.length;
    await clock.advance(20_000);
    await until(() => outcomes.length > seen, 'another attempt');
  }
  await until(() => outcomes.at(-1) === 'delivered:1', 'the next notice');
  // 1, 2, 4, 8, 16, then 20 s (the cap) between attempts: past 60 s the notice is given up.
  assert.deepEqual(outcomes, [
    'failed:1',
    'failed:2',
    'failed:3',
    'failed:4',
    'failed:5',
    'failed:6',
    'failed:7',
    'expired:8',
    'delivered:1',
  ]);
  const order = rx.received.map((r) => r.notice.payload.userId);
  assert.deepEqual(
    order,
    [...Array<string>(8).fill('wh-doomed'), 'wh-next'],
    'the app’s next notice waited',
  );
  assert.ok(
    lines.some((l) => /webhook notice given up/.test(l)),
    'logged',
  );
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  assert.match(metrics, /parley_webhook_deliveries_total\{outcome="expired"\} 1\n/);
  await Promise.all([doomed.logout(), next.logout()].map((p) => p.catch(() => undefined)));
});

test('a full queue drops new notices, counts and logs them', async (t) => {
  const down = `http://127.0.0.1:${await freePort()}/gone`;
  const lines: string[] = [];
  const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: tempDir(),
      ...hooks(down),
      webhookEvents: ['login'],
      webhookQueueMax: 2,
    },
    pino({ level: 'warn' }, sink),
  );
  t.after(() => server.close());
  for (let k = 0; k < 4; k++) await (await loggedIn(server, `wh-full${k}`)).logout();
  const metrics = async () => (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  await until(
    () => lines.filter((l) => /webhook queue full/.test(l)).length === 2,
    'two drops logged',
  );
  const text = await metrics();
  assert.match(text, /parley_webhook_deliveries_total\{outcome="dropped"\} 2\n/);
  assert.match(text, /parley_webhook_queue_depth 2\n/);
});

test('a slow receiver does not slow message delivery', async (t) => {
  const rx = await WebhookReceiver.start(SECRET);
  let release: (status: number) => void = () => undefined;
  const held = new Promise<number>((resolve) => (release = resolve));
  rx.respond = () => held;
  const server = await testServer(hooks(rx.url));
  t.after(async () => {
    release(200);
    await server.close();
    await rx.close();
  });
  const alice = await loggedIn(server, 'wh-fast-a');
  const bob = await loggedIn(server, 'wh-fast-b');
  await until(() => rx.received.length === 1, 'the first notice, held');
  let got = 0;
  bob.on('MessageFromPeer', () => got++);
  const results = [];
  for (let k = 0; k < 50; k++)
    results.push(await alice.sendMessageToPeer({ text: `m${k}` }, 'wh-fast-b'));
  await until(() => got === 50, 'every message');
  assert.ok(
    results.every((r) => r.hasPeerReceived),
    'each acknowledged by the receiver',
  );
  assert.equal(
    rx.received.length,
    1,
    'the receiver still holds the first notice; the rest wait in order',
  );
  release(200);
  await until(() => rx.of(105).length === 50, 'the notices, once the receiver answers');
  assert.deepEqual(
    rx.of(105).map((n: Notice) => n.payload.text),
    Array.from({ length: 50 }, (_, k) => `m${k}`),
    'in order',
  );
  await Promise.all([alice.logout(), bob.logout()]);
});

/**
 * The webhook queue is durable: a node killed with SIGKILL while notices wait (its receiver
 * down) delivers them after a restart (SQLite); on Redis, the node that takes over a dead
 * node's sessions takes over its notices too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebhookReceiver, freePort } from './webhook-receiver.js';
import {
  APP,
  RawSocket,
  client,
  tempDir,
  testServer,
  until,
  eventually,
  nodeProcess,
  REDIS_URL,
  uniquePrefix,
} from '@parley/testkit';

const SECRET = 'whsec-durable';

/** The queue depth a node reports on /metrics. */
async function queueDepth(wsUrl: string): Promise<number> {
  const text = await (await fetch(`${wsUrl.replace(/^ws/, 'http')}/metrics`)).text();
  return Number(/^parley_webhook_queue_depth (\d+)$/m.exec(text)?.[1] ?? NaN);
}

test('a node killed with SIGKILL while notices are queued delivers them after its restart', async (t) => {
  const port = await freePort();
  const dataDir = tempDir();
  const config = {
    dataDir,
    webhookUrl: `http://127.0.0.1:${port}/hooks`,
    webhookSecret: SECRET,
    webhookRetryMs: 100,
    webhookRetryMaxMs: 200,
  };
  const first = await nodeProcess(t, config);
  for (const uid of ['wd-a', 'wd-b']) {
    const c = client(first.url);
    await c.login({ uid });
    await c.logout();
  }
  await eventually(async () => (await queueDepth(first.url)) === 4, 'four notices queued');
  await first.kill();
  const rx = await WebhookReceiver.start(SECRET, port);
  t.after(() => rx.close());
  const again = await nodeProcess(t, config);
  await until(() => rx.received.length === 4, 'the four notices, after the restart');
  assert.deepEqual(
    rx.received.map((r) => `${r.notice.eventType}:${String(r.notice.payload.userId)}`),
    ['101:wd-a', '102:wd-a', '101:wd-b', '102:wd-b'],
    'in order',
  );
  assert.ok(rx.received.every((r) => r.signed));
  assert.equal(await queueDepth(again.url), 0);
});

test('on Redis, the node that takes over a dead node’s sessions delivers its queued notices', async (t) => {
  const port = await freePort();
  const prefix = uniquePrefix();
  const common = {
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    webhookUrl: `http://127.0.0.1:${port}/hooks`,
    webhookSecret: SECRET,
    webhookEvents: ['login'],
    webhookRetryMs: 100,
    webhookRetryMaxMs: 200,
    heartbeatMs: 100,
    resumeWindowMs: 500,
  };
  // (A node process takes no list options: it sends every event, of which only a login comes.)
  const { webhookEvents: _events, ...forProcess } = common;
  const dying = await nodeProcess(t, forProcess);
  // A raw client never reconnects: the user stays behind with the dead node.
  const raw = await RawSocket.open(dying.url);
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'wd-redis' })).t, 'ok');
  await eventually(async () => (await queueDepth(dying.url)) === 1, 'the login queued');
  await dying.kill();
  const rx = await WebhookReceiver.start(SECRET, port);
  const heir = await testServer(common);
  t.after(async () => {
    await heir.close();
    await rx.close();
  });
  await until(
    () => rx.of(101).some((n) => n.payload.userId === 'wd-redis'),
    'the dead node’s notice, from its heir',
    20_000,
  );
  assert.ok(rx.received.every((r) => r.signed));
});

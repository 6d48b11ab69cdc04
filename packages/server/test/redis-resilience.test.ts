import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { RtmClient } from '@parley/sdk';
import { loggedIn, sleep, testServer, until } from './helpers.js';
import { uniquePrefix } from './redis-helpers.js';

/** A private redis-server on a free port, so the test can kill and restart it. */
async function privateRedis(port?: number): Promise<{ port: number; child: ChildProcess }> {
  const p =
    port ??
    (await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const free = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(free));
      });
    }));
  const child = spawn(
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(p, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  for (let k = 0; probe.status !== 'ready'; k++) {
    assert.ok(k < 100, 'redis-server did not start');
    await probe.connect().catch(() => sleep(50));
  }
  probe.disconnect();
  return { port: p, child };
}

/** Sends until one message gets across, within `ms`: answers how long it took. */
async function deliveryResumes(
  from: RtmClient,
  to: string,
  got: string[],
  ms: number,
): Promise<number> {
  const start = Date.now();
  for (let k = 0; Date.now() - start < ms; k++) {
    const text = `probe-${start}-${k}`;
    await from.sendMessageToPeer({ text }, to).catch(() => undefined);
    await sleep(100);
    if (got.includes(text)) return Date.now() - start;
  }
  throw new Error(`delivery did not resume within ${ms} ms`);
}

test('CLIENT KILL TYPE pubsub, repeated, and a Redis restart: nodes resubscribe and cross-node delivery resumes within 5 s', async (t) => {
  let redis = await privateRedis();
  t.after(() => redis.child.kill('SIGKILL'));
  const url = `redis://127.0.0.1:${redis.port}`;
  const shared = { redisUrl: url, redisPrefix: uniquePrefix() };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  t.after(async () => {
    await n1.close();
    await n2.close();
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));

  const a = await loggedIn(n1, 'rz-a');
  const b = await loggedIn(n2, 'rz-b');
  const bGot: string[] = [];
  b.on('MessageFromPeer', (m) => bGot.push((m as { text: string }).text));
  const roomB = b.createChannel('rz-room');
  const roomGot: string[] = [];
  roomB.on('ChannelMessage', (m) => roomGot.push((m as { text: string }).text));
  await roomB.join();
  const roomA = a.createChannel('rz-room');
  await roomA.join();

  const admin = new Redis(redis.port, '127.0.0.1');
  for (let round = 0; round < 3; round++) {
    await admin.client('KILL', 'TYPE', 'pubsub');
    assert.ok((await deliveryResumes(a, 'rz-b', bGot, 5000)) < 5000);
    await roomA.sendMessage({ text: `room-${round}` });
    await until(
      () => roomGot.includes(`room-${round}`),
      `channel message after kill ${round}`,
      5000,
    );
  }
  admin.disconnect();

  redis.child.kill('SIGKILL');
  await sleep(300);
  redis = await privateRedis(redis.port);
  // State lived in the old Redis (no persistence in this test): log in again, then deliver.
  assert.ok((await deliveryResumes(a, 'rz-b', bGot, 8000)) < 8000);
  assert.deepEqual(unhandled, []);
  await Promise.all([a.logout().catch(() => undefined), b.logout().catch(() => undefined)]);
});

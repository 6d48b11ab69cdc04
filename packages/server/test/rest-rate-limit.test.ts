/**
 * The REST API's rate limit, PARLEY_REST_RATE_PER_SECOND calls per app in any second: on one
 * node, and on Redis across nodes (a RedisRateCounter), where a node that alone went past the
 * limit answers 429 without asking Redis. Time is a ManualClock the nodes share.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { ManualClock, APP, testServer, REDIS_URL, uniquePrefix } from '@parley/testkit';
import type { RunningServer } from '../src/index.js';
import { basic, restClient } from './rest-client.js';

const KEYS = [{ key: 'backend', secret: 's3cret' }];
const AUTH = basic('backend', 's3cret');

/** A REST peer message of `app` through `server`: answers the HTTP status. */
function sender(server: RunningServer) {
  const rest = restClient(server.port, AUTH);
  return async (app = APP) =>
    (
      await rest('POST', `/dev/v2/project/${app}/rtm/users/a/peer_messages`, {
        body: { destination: 'b', payload: 'x' },
      })
    ).status;
}

test('more than PARLEY_REST_RATE_PER_SECOND calls of one app in a second are answered 429', async (t) => {
  const clock = new ManualClock(Date.now());
  const server = await testServer({ restKeys: KEYS, restRatePerSecond: 3, clock });
  t.after(() => server.close());
  const rest = restClient(server.port, AUTH);
  const send = sender(server);
  for (let k = 0; k < 3; k++) assert.equal(await send(), 200);
  const over = await rest('POST', `/dev/v2/project/${APP}/rtm/users/a/peer_messages`, {
    body: { destination: 'b', payload: 'x' },
  });
  assert.equal(over.status, 429);
  assert.match(over.body.message, /more than 3 REST calls per second/);
  assert.equal(await send('another_app'), 200, 'apps are limited apart');
  await clock.advance(1000);
  assert.equal(await send(), 200, 'the window moved on');
});

test('on two Redis nodes the calls of both count against one limit, in a window that moves with the clock', async (t) => {
  const clock = new ManualClock(Date.now());
  const common = {
    restKeys: KEYS,
    restRatePerSecond: 4,
    redisUrl: REDIS_URL,
    redisPrefix: uniquePrefix(),
    clock,
  };
  const [a, b] = await Promise.all([testServer(common), testServer(common)]);
  t.after(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  const [onA, onB] = [sender(a), sender(b)];
  // Two calls on each node at t0, two more on each at t0 + 600.
  assert.deepEqual([await onA(), await onB(), await onA(), await onB()], [200, 200, 200, 200]);
  assert.deepEqual(
    [await onA(), await onB()],
    [429, 429],
    'four in all: each node alone counted only three calls',
  );
  assert.equal(await onB('another_app'), 200, 'apps are limited apart');
  await clock.advance(600);
  assert.deepEqual([await onA(), await onB()], [429, 429], 'the t0 calls are within the second');
  await clock.advance(400);
  assert.deepEqual(
    [await onA(), await onB(), await onA(), await onB(), await onA()],
    [200, 200, 200, 200, 429],
    'at t0 + 1000 the four calls of t0 left the window',
  );
});

test('on Redis a node that alone went past the limit answers 429 without a Redis call', async (t) => {
  const clock = new ManualClock(Date.now());
  const prefix = uniquePrefix();
  const server = await testServer({
    restKeys: KEYS,
    restRatePerSecond: 3,
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    clock,
  });
  const marker = new Redis(REDIS_URL);
  const monitor = await marker.monitor();
  const counted: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args.some((a) => a === `${prefix}rate:rest:${APP}`)) counted.push(args[0]!.toLowerCase());
  });
  t.after(async () => {
    monitor.disconnect();
    await marker.quit();
    await server.close();
  });
  const send = sender(server);
  /** Every command Redis ran before this one has reached the monitor once this one has. */
  const settled = async () => {
    const key = `${prefix}settled:${Math.random()}`;
    const seen = new Promise<void>((resolve) => {
      const on = (_time: string, args: string[]) => {
        if (!args.includes(key)) return;
        monitor.off('monitor', on);
        resolve();
      };
      monitor.on('monitor', on);
    });
    await marker.get(key);
    await seen;
  };
  for (let k = 0; k < 3; k++) assert.equal(await send(), 200);
  await settled();
  const before = counted.length;
  assert.ok(before >= 3, `three counted calls reached Redis (${counted.join(' ')})`);
  assert.equal(await send(), 429);
  assert.equal(await send(), 429);
  await settled();
  assert.equal(counted.length, before, 'the refused calls asked Redis nothing');
});

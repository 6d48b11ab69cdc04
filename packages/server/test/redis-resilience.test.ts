import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Redis } from 'ioredis';
import {
  killRedis,
  loggedIn,
  privateRedis,
  testServer,
  unhandledRejections,
  uniquePrefix,
  until,
} from '@parley/testkit';

let probes = 0;

/**
 * Sends probes until one arrives (the subscription is back): each probe waits up to 100 ms for
 * its arrival before the next goes (one lost while the subscriber was gone never comes).
 * Fails after `giveUpMs`, a deadline for a hang, not a speed bound.
 */
async function resumed(
  send: (text: string) => Promise<unknown>,
  got: string[],
  what: string,
  giveUpMs = 15_000,
): Promise<void> {
  const end = Date.now() + giveUpMs;
  for (;;) {
    const text = `probe-${++probes}`;
    await send(text).catch(() => undefined);
    try {
      return await until(() => got.includes(text), what, 100);
    } catch (e) {
      if (Date.now() > end) throw e;
    }
  }
}

test('CLIENT KILL TYPE pubsub, repeated, and a Redis restart: nodes resubscribe and cross-node delivery resumes', async (t) => {
  let redis = await privateRedis();
  t.after(() => killRedis(redis));
  const url = `redis://127.0.0.1:${redis.port}`;
  const shared = { redisUrl: url, redisPrefix: uniquePrefix() };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  t.after(async () => {
    await n1.close();
    await n2.close();
  });
  const unhandled = unhandledRejections(t);

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

  const toB = (text: string) => a.sendMessageToPeer({ text }, 'rz-b');
  const admin = new Redis(redis.port, '127.0.0.1');
  for (let round = 0; round < 3; round++) {
    await admin.client('KILL', 'TYPE', 'pubsub');
    await resumed(toB, bGot, `peer delivery after kill ${round}`);
    await roomA.sendMessage({ text: `room-${round}` });
    await until(
      () => roomGot.includes(`room-${round}`),
      `channel message after kill ${round}`,
      5000,
    );
  }
  admin.disconnect();

  await killRedis(redis);
  redis = await privateRedis(redis.port);
  // State lived in the old Redis (no persistence in this test): log in again, then deliver.
  await resumed(toB, bGot, 'peer delivery after the restart');
  assert.deepEqual(unhandled, []);
  await Promise.all([a.logout().catch(() => undefined), b.logout().catch(() => undefined)]);
});

/** A full garbage collection: `global.gc` under --expose-gc, else one made from the V8 flag. */
const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

/** Heap in use after full collections, once finalizers and pending callbacks had a turn. */
async function settledHeapBytes(): Promise<number> {
  for (let k = 0; k < 3; k++) {
    collectGarbage();
    await new Promise((r) => setImmediate(r));
  }
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

test('memory stays flat while CLIENT KILL TYPE pubsub is repeated under traffic', async (t) => {
  const redis = await privateRedis();
  const shared = {
    redisUrl: `redis://127.0.0.1:${redis.port}`,
    redisPrefix: uniquePrefix(),
    sendRateCount: 1_000_000,
    // Replay rings fill to their size and stay there: kept small, they fill in the warm-up.
    channelReplayBuffer: 50,
  };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  const admin = new Redis(redis.port, '127.0.0.1');
  t.after(async () => {
    admin.disconnect();
    await n1.close();
    await n2.close();
    await killRedis(redis);
  });
  const warnings: string[] = [];
  const onWarning = (w: Error) => {
    if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message);
  };
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));

  // A receipt published while the sender's node has no subscriber is lost (at most once): the
  // send then fails at its deadline, kept short so a cycle does not wait 10 s for it.
  const a = await loggedIn(n1, 'rm-a', { requestTimeoutMs: 2000 });
  const b = await loggedIn(n2, 'rm-b');
  // Only the current cycle's texts are kept: the test itself must not grow with the cycles.
  const peerGot: string[] = [];
  b.on('MessageFromPeer', (m) => peerGot.push((m as { text: string }).text));
  const roomGot: string[] = [];
  const roomB = b.createChannel('rm-room');
  roomB.on('ChannelMessage', (m) => roomGot.push((m as { text: string }).text));
  await roomB.join();
  const roomA = a.createChannel('rm-room');
  await roomA.join();

  const PER_CYCLE = 50;
  const PAD = 'x'.repeat(1000);
  const batch = <T>(send: (text: string) => Promise<T>, k: number, tag: string) =>
    Promise.all(Array.from({ length: PER_CYCLE }, (_, j) => send(`${tag}${k}:${j}:${PAD}`)));
  const toB = (text: string) => a.sendMessageToPeer({ text }, 'rm-b');
  const toRoom = (text: string) => roomA.sendMessage({ text });
  /**
   * One cycle: peer messages in flight through the kill (most are lost or refused with the
   * subscriber gone: at most once), then, once both subscriptions are back, 50 peer and 50
   * channel messages of ~1 KB that must all arrive.
   */
  async function cycle(k: number): Promise<void> {
    peerGot.length = 0;
    roomGot.length = 0;
    const inFlight = batch((x) => toB(x).catch(() => undefined), k, 'lost?');
    await admin.client('KILL', 'TYPE', 'pubsub');
    await inFlight;
    await resumed(toB, peerGot, `peer delivery after kill ${k}`);
    // The sharded subscription comes back on a connection of its own: wait for it too.
    await resumed(toRoom, roomGot, `channel delivery after kill ${k}`);
    peerGot.length = 0;
    roomGot.length = 0;
    const acks = await batch(toB, k, '');
    assert.ok(
      acks.every((r) => r.hasPeerReceived),
      `peer traffic of cycle ${k} acknowledged`,
    );
    await batch(toRoom, k, '');
    // (A message from before the kill may still arrive: only this cycle's are counted.)
    const ofCycle = (got: string[]) => got.filter((x) => x.startsWith(`${k}:`)).length;
    await until(
      () => ofCycle(peerGot) === PER_CYCLE && ofCycle(roomGot) === PER_CYCLE,
      `traffic of cycle ${k}`,
    );
  }

  // Warm-up: code compiled, pools grown, and bounded caches full (the SDK remembers the last
  // 4,096 message ids it received, to drop duplicates), so that what grows afterwards is a leak.
  for (let k = 0; k < 5; k++) await cycle(k);
  for (let round = 0; round < 24; round++) {
    await Promise.all(Array.from({ length: 200 }, (_, j) => toB(`warm-${round}-${j}`)));
  }
  peerGot.length = 0;
  const MEASURED_CYCLES = 40;
  const before = await settledHeapBytes();
  for (let k = 5; k < 5 + MEASURED_CYCLES; k++) await cycle(k);
  const after = await settledHeapBytes();

  // Each measured cycle delivers ~100 KB of message text (50 peer and 50 channel messages of
  // ~1 KB; more is sent) and replaces both subscriber connections of each node. Per-cycle
  // state kept with its traffic (frames, receipts, outbox or replay entries, buffers of a
  // dropped connection) adds up to 4 MB or more in 40 cycles; a settled heap here varies by
  // ±0.3 MB from run to run. 2 MB lies between. (Leaked listeners, too small to see here, make
  // Node warn: MaxListenersExceededWarning, checked below.)
  const grown = after - before;
  assert.ok(
    grown < 2 * 1024 * 1024,
    `heap grew ${(grown / 1024 / 1024).toFixed(2)} MB over ${MEASURED_CYCLES} cycles ` +
      `(${(before / 1024 / 1024).toFixed(1)} -> ${(after / 1024 / 1024).toFixed(1)} MB)`,
  );
  assert.deepEqual(warnings, [], 'no MaxListenersExceededWarning');
  await Promise.all([a.logout(), b.logout()]);
});

/**
 * A resume window lapsing at the moment the same user logs in fresh on the same node: the
 * lapsed session's flagged frames move to the offline store while the new session lists it.
 * Each must reach the new session once, not wait in the store for a later login.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimerHandle } from '@parley/protocol';
import {
  APP,
  ManualClock,
  RawSocket,
  REDIS_URL,
  testServer,
  uniquePrefix,
  type Frame,
} from '@parley/testkit';

const WINDOW_MS = 30_000;
/** The session sweep's interval: no other timer of the node has it. */
const SWEEP_MS = 700;
const COUNT = 20;
const HOUR_MS = 3_600_000;

/** A ManualClock that runs `after` right behind each firing of the intervals of `ms`. */
class HookedClock extends ManualClock {
  after: (() => void) | undefined;
  override setInterval(fn: () => void, ms: number): TimerHandle {
    if (ms !== SWEEP_MS) return super.setInterval(fn, ms);
    return super.setInterval(() => {
      fn();
      this.after?.();
    }, ms);
  }
}

async function rawLogin(url: string, uid: string): Promise<RawSocket> {
  const raw = await RawSocket.open(url);
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: uid })).t, 'ok');
  return raw;
}

const msgs = (raw: RawSocket): Frame[] => raw.frames.filter((f) => f.t === 'msg');

/** SQLite batches a turn's writes (the race is there); Redis orders them on its connection. */
const BACKENDS = {
  memory: () => ({}),
  redis: () => ({ redisUrl: REDIS_URL, redisPrefix: uniquePrefix() }),
};

for (const [backend, store] of Object.entries(BACKENDS))
  test(`${backend}: a window lapsing as its user logs in fresh: the ${COUNT} flagged frames of the lapsed session reach the new one, each once`, async (t) => {
    const clock = new HookedClock();
    const server = await testServer({
      ...store(),
      clock,
      resumeWindowMs: WINDOW_MS,
      unreachableAfterMs: HOUR_MS,
      sweepIntervalMs: SWEEP_MS,
      loginTimeoutMs: HOUR_MS,
    });
    t.after(() => server.close());
    const t0 = clock.now();
    // Bob's first client reads but never acknowledges nor pings: his session holds the frames.
    const old = await rawLogin(server.url, 'lv-bob');
    const alice = await rawLogin(server.url, 'lv-alice');
    for (let n = 0; n < COUNT; n++)
      alice.send({ t: 'psend', i: 10 + n, to: 'lv-bob', m: { k: 'T', x: `f-${n}` }, off: true });
    await old.waitFor(() => msgs(old).length === COUNT, `${COUNT} messages at bob`);
    const sent = msgs(old).map((f) => f.mid as string);

    // Right behind the sweep that ends the lapsed session, in its turn of the event loop (before
    // the store's batched write of that turn), bob's fresh login goes out.
    const fresh = await RawSocket.open(server.url);
    clock.after = () => {
      if (clock.now() - t0 <= WINDOW_MS) return;
      clock.after = undefined;
      fresh.send({ t: 'login', i: 1, a: APP, u: 'lv-bob' });
    };
    await clock.advance(WINDOW_MS + 2 * SWEEP_MS);
    await fresh.waitFor(() => fresh.repliesTo(1).length > 0, 'the login reply');
    assert.equal(fresh.repliesTo(1)[0]!.t, 'ok');

    // A marker from a third user: everything the node pushed before it is in.
    const carol = await rawLogin(server.url, 'lv-carol');
    carol.send({ t: 'psend', i: 2, to: 'lv-bob', m: { k: 'T', x: 'marker' } });
    await fresh.waitFor(
      () => msgs(fresh).some((f) => (f.m as { x: string }).x === 'marker'),
      'the marker',
    );
    const got = msgs(fresh)
      .map((f) => f.mid as string)
      .filter((mid) => sent.includes(mid));
    const stored = await server.backend.offline.listOffline(APP, 'lv-bob');
    const waiting = stored.filter((m) => !got.includes(m.mid)).length;
    t.diagnostic(
      `${backend}: delivered/expected ${new Set(got).size}/${COUNT} (${got.length} frames); ` +
        `stored, not delivered to the new session: ${waiting}`,
    );
    assert.deepEqual(got, sent, 'each once, in order, in the new session');
  });

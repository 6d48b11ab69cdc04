/**
 * Durable hand-over on one node: a peer message flagged for offline storage to a receiver that
 * is not live (inside its resume window) is committed to the offline store before its sender
 * hears, and reaches the receiver once, whatever happens to the node meanwhile; when the window
 * lapses, flagged undelivered frames move to the store and unflagged ones are counted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import {
  APP,
  client,
  CutProxy,
  eventually,
  isMarker,
  loggedIn,
  ManualClock,
  peerMarker,
  RawSocket,
  recordStates,
  REDIS_URL,
  startNode,
  tempDir,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

const portOf = (url: string) => Number(new URL(url).port);
const OFF = { enableOfflineMessaging: true };

for (const how of ['SIGKILL', 'SIGTERM'] as const)
  test(`100 flagged messages to a receiver inside its resume window survive a ${how} restart: 100 of 100, once, in order`, async (t) => {
    const dataDir = tempDir();
    const first = await startNode({ dataDir, resumeWindowMs: 60_000 });
    t.after(() => first.kill());
    const proxy = await CutProxy.start(portOf(first.url));
    t.after(() => proxy.close());
    const bob = client(proxy.url);
    const got: string[] = [];
    bob.on('MessageFromPeer', (m: RtmMessage) => {
      if (!isMarker(m)) got.push(m.text!);
    });
    await bob.login({ uid: 'dh-bob' });
    const states = recordStates(bob);
    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'bob reconnecting');

    const alice = await loggedIn(first.url, 'dh-alice');
    const sent: string[] = [];
    for (let n = 0; n < 100; n++) {
      sent.push(`m-${n}`);
      const r = await alice.sendMessageToPeer({ text: `m-${n}` }, 'dh-bob', OFF);
      assert.equal(r.hasPeerReceived, false, 'kept for a receiver that is not live');
    }
    await alice.logout();
    if (how === 'SIGKILL') await first.kill();
    else assert.equal(await first.stop(), 0);

    const second = await startNode({ dataDir });
    t.after(() => second.kill());
    proxy.retarget(portOf(second.url));
    proxy.restore();
    await until(() => got.length >= 100, `100 messages after the ${how} restart`, 30_000);
    const probe = await loggedIn(second.url, 'dh-probe');
    await peerMarker(probe, bob, 'dh-bob'); // a duplicate would have come before it
    assert.deepEqual(got, sent);
    t.diagnostic(`delivered/expected after ${how}: ${got.length}/${sent.length}`);
    await Promise.all([probe.logout(), bob.logout()]);
  });

/** The memory backend, or Redis (a prefix of its own per test). */
const BACKENDS = {
  memory: () => ({}),
  redis: () => ({ redisUrl: REDIS_URL, redisPrefix: uniquePrefix() }),
};

for (const [backend, store] of Object.entries(BACKENDS))
  test(`${backend}: a resume inside the window delivers the flagged messages once and leaves none stored`, async (t) => {
    const server = await testServer({ ...store(), resumeWindowMs: 60_000 });
    t.after(() => server.close());
    const proxy = await CutProxy.start(server.port);
    t.after(() => proxy.close());
    const bob = client(proxy.url);
    const got: string[] = [];
    bob.on('MessageFromPeer', (m: RtmMessage) => {
      if (!isMarker(m)) got.push(m.text!);
    });
    await bob.login({ uid: 'dr-bob' });
    const states = recordStates(bob);
    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'bob reconnecting');
    const alice = await loggedIn(server, 'dr-alice');
    for (let n = 0; n < 20; n++)
      assert.equal(
        (await alice.sendMessageToPeer({ text: `r-${n}` }, 'dr-bob', OFF)).hasPeerReceived,
        false,
      );
    assert.equal((await server.backend.offline.listOffline(APP, 'dr-bob')).length, 20);
    proxy.restore();
    await until(() => states.at(-1) === 'CONNECTED/LOGIN_SUCCESS', 'bob resumed');
    await peerMarker(alice, bob, 'dr-bob');
    assert.deepEqual(
      got,
      Array.from({ length: 20 }, (_, n) => `r-${n}`),
    );
    // Acknowledged on the resumed session: the stored copies are gone (a later login gets none).
    await eventually(
      async () => (await server.backend.offline.listOffline(APP, 'dr-bob')).length === 0,
      'stored copies deleted',
    );
    await Promise.all([alice.logout(), bob.logout()]);
  });

for (const [backend, store] of Object.entries(BACKENDS))
  test(`${backend}: a lapsed resume window: flagged undelivered frames go to the offline store, unflagged ones are counted as dropped`, async (t) => {
    const clock = new ManualClock();
    const server = await testServer({
      ...store(),
      clock,
      resumeWindowMs: 30_000,
      sweepIntervalMs: 500,
    });
    t.after(() => server.close());
    // Bob's client reads but never acknowledges: what is pushed stays in his session's outbox.
    const raw = await RawSocket.open(server.url);
    assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'dl-bob' })).t, 'ok');
    const alice = await loggedIn(server, 'dl-alice');
    const replies: Promise<{ hasPeerReceived: boolean }>[] = [];
    for (let n = 0; n < 20; n++) {
      replies.push(alice.sendMessageToPeer({ text: `f-${n}` }, 'dl-bob', OFF));
      replies.push(alice.sendMessageToPeer({ text: `u-${n}` }, 'dl-bob'));
    }
    await raw.waitFor(() => raw.frames.filter((f) => f.t === 'msg').length === 40, '40 messages');
    raw.close(); // dropped before acknowledging any: the senders hear now
    for (const r of await Promise.all(replies)) assert.equal(r.hasPeerReceived, false);
    // While bob is away, 20 more flagged ones.
    for (let n = 20; n < 40; n++)
      assert.equal(
        (await alice.sendMessageToPeer({ text: `f-${n}` }, 'dl-bob', OFF)).hasPeerReceived,
        false,
      );
    await alice.logout();
    const dropped = server.sessions.droppedMessages;
    await clock.advance(31_000);
    await until(() => server.hub.size === 0, 'the lapsed session ended');
    assert.equal(server.sessions.droppedMessages - dropped, 20, 'the unflagged ones, counted');

    const bob = client(server);
    const got: string[] = [];
    bob.on('MessageFromPeer', (m: RtmMessage, _from, props) => {
      if (!isMarker(m)) got.push(`${m.text!}${props.isOfflineMessage ? '' : ' (not offline)'}`);
    });
    await bob.login({ uid: 'dl-bob' });
    const probe = await loggedIn(server, 'dl-probe');
    await until(() => got.length >= 40, '40 flagged messages');
    await peerMarker(probe, bob, 'dl-bob');
    assert.deepEqual(
      got,
      Array.from({ length: 40 }, (_, n) => `f-${n}`),
    );
    await Promise.all([probe.logout(), bob.logout()]);
  });

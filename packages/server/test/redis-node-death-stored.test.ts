/**
 * Two nodes on Redis; the node holding a user dies while it delivers the user's stored offline
 * messages, or while the user is away inside its resume window with messages waiting in its
 * session there. The node the user lands on delivers each message once (the SDK drops an id
 * it has seen), in order: the stored ones from the store, the others parked by the senders'
 * node, which kept them after their `pending` receipts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import { Redis } from 'ioredis';
import { APP, eventually, isMarker, peerMarker, REDIS_URL, until } from '@parley/testkit';
import { nodeDeath } from './node-death-setup.js';

const COUNT = 100;

for (const how of ['SIGKILL', 'SIGTERM'] as const)
  test(`${how} the node delivering ${COUNT} stored messages: each arrives once, in order, on the other node`, async (t) => {
    const { doomed, sender, mover, states } = await nodeDeath(t, {
      sender: 'ns-tx',
      mover: 'ns-rx',
    });
    await mover.logout();
    const sent: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      sent.push(`stored-${n}`);
      const r = await sender.sendMessageToPeer({ text: `stored-${n}` }, 'ns-rx', {
        enableOfflineMessaging: true,
      });
      assert.equal(r.hasPeerReceived, false, 'stored for the offline user');
    }
    const got: string[] = [];
    let dying: Promise<unknown> | undefined;
    mover.on('MessageFromPeer', (m: RtmMessage) => {
      if (isMarker(m)) return;
      got.push(m.text!);
      dying ??= how === 'SIGKILL' ? doomed.kill() : doomed.stop(); // the first one in
    });
    await mover.login({ uid: 'ns-rx' }); // on the doomed node, the first of its URLs
    await until(() => dying !== undefined, 'the first stored message');
    await dying;
    await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'the landing', 15_000);
    await until(() => got.length >= COUNT, 'every message', 15_000).catch(() => undefined);
    await peerMarker(sender, mover, 'ns-rx'); // a duplicate would have come before it
    t.diagnostic(`${how}: delivered/expected ${got.length}/${COUNT}`);
    assert.deepEqual(got, sent, 'each once, in order');
    await Promise.all([sender.logout(), mover.logout()]);
  });

/** How many events wait in (app, uid)'s park (redis-parked-events.ts names the key). */
async function parked(prefix: string, uid: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.llen(`${prefix}parked:${APP.length}:${APP}:${uid}`);
  } finally {
    redis.disconnect();
  }
}

for (const how of ['SIGKILL', 'SIGTERM'] as const)
  for (const landing of ['at once', 'after its node lapsed'] as const)
    test(`${how} the node of a user inside its resume window, landing ${landing}: what waited in its session there arrives once, in order, on the other node`, async (t) => {
      const uid = `nw-rx-${landing.length}`;
      const d = await nodeDeath(t, { sender: 'nw-tx', mover: uid }, true);
      const got: string[] = [];
      d.mover.on('MessageFromPeer', (m: RtmMessage) => {
        if (!isMarker(m)) got.push(m.text!);
      });
      for (const p of d.proxies) p.cut(); // away from both nodes: its session waits on the doomed one
      await until(() => d.states.includes('RECONNECTING/INTERRUPTED'), 'the receiver away');
      const sent: string[] = [];
      const answers: boolean[] = [];
      for (let n = 0; n < 40; n++) {
        const flagged = n % 2 === 0; // every other one flagged for offline storage
        const text = `${flagged ? 'flagged' : 'plain'}-${n}`;
        sent.push(text);
        const options = flagged ? { enableOfflineMessaging: true } : {};
        answers.push((await d.sender.sendMessageToPeer({ text }, uid, options)).hasPeerReceived);
      }
      assert.deepEqual(new Set(answers), new Set([false]), 'none received yet');
      await (how === 'SIGKILL' ? d.doomed.kill() : d.doomed.stop());
      if (landing === 'after its node lapsed')
        // The survivor's reaper sees the node silent for 3 heartbeats and parks what it kept.
        await eventually(async () => (await parked(d.prefix, uid)) === 20, 'the plain ones parked');
      d.proxies[1]!.restore(); // only the survivor is back
      await until(() => d.states.includes('CONNECTED/LOGIN_SUCCESS'), 'the landing', 15_000);
      await until(() => got.length >= sent.length, 'every message', 15_000).catch(() => undefined);
      await peerMarker(d.sender, d.mover, uid); // a duplicate would have come before it
      t.diagnostic(`${how}, landing ${landing}: delivered/expected ${got.length}/${sent.length}`);
      assert.deepEqual([...got].sort(), [...sent].sort(), 'each once');
      assert.deepEqual(
        got.filter((x) => x.startsWith('plain')),
        sent.filter((x) => x.startsWith('plain')),
        'the plain ones in order',
      );
      assert.deepEqual(
        got.filter((x) => x.startsWith('flagged')),
        sent.filter((x) => x.startsWith('flagged')),
        'the flagged ones in order',
      );
      await Promise.all([d.sender.logout(), d.mover.logout()]);
    });

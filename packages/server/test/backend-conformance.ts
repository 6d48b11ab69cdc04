/**
 * The backend conformance suite: every Backend (Store + Broker) implementation runs it
 * unchanged. `factory(dataDir)` opens a backend on a data location; opening it again on the same
 * location must see what was durable.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backend } from '../src/index.js';
import type { StoredMessage } from '../src/index.js';
import { tempDir, until } from '@parley/testkit';

export type BackendFactory = (
  dataDir: string,
  limits: { maxPerReceiver: number; maxAgeMs: number },
) => Promise<Backend> | Backend;

const msg = (n: number, ts = Date.now()): StoredMessage => ({
  mid: `m${n}`,
  from: 'sender',
  m: { k: 'T', x: `text ${n}` },
  ts,
});

export function runBackendConformance(name: string, factory: BackendFactory): void {
  const limits = { maxPerReceiver: 5, maxAgeMs: 60_000 };

  describe(`backend conformance: ${name}`, () => {
    test('claimUser answers the session it replaced; releaseUser only ends the holder', async () => {
      const b = await factory(tempDir(), limits);
      assert.equal(await b.store.claimUser('app', 'u1', { sid: 's1', node: 'n1' }), undefined);
      assert.deepEqual(await b.store.claimUser('app', 'u1', { sid: 's2', node: 'n2' }), {
        sid: 's1',
        node: 'n1',
      });
      assert.equal(await b.store.claimUser('app', 'u1', { sid: 's2', node: 'n2' }), undefined);
      assert.equal(await b.store.releaseUser('app', 'u1', { sid: 's1', node: 'n1' }), false);
      assert.equal(await b.store.releaseUser('app', 'u1', { sid: 's2', node: 'n1' }), false);
      assert.deepEqual(await b.store.getPresence('app', ['u1']), ['ONLINE']);
      assert.equal(await b.store.releaseUser('app', 'u1', { sid: 's2', node: 'n2' }), true);
      assert.deepEqual(await b.store.getPresence('app', ['u1']), ['OFFLINE']);
      await b.close();
    });

    test('locateUser finds the holder and its node; moveUser moves only the holding session', async () => {
      const b = await factory(tempDir(), limits);
      assert.equal(await b.store.locateUser('app', 'u1'), undefined);
      await b.store.claimUser('app', 'u1', { sid: 's1', node: 'n1' });
      assert.deepEqual(await b.store.locateUser('app', 'u1'), { sid: 's1', node: 'n1' });
      assert.equal(await b.store.locateUser('other-app', 'u1'), undefined);
      assert.equal(await b.store.moveUser('app', 'u1', { sid: 'old', node: 'n1' }, 'n3'), false);
      assert.equal(await b.store.moveUser('app', 'u1', { sid: 's1', node: 'n9' }, 'n3'), false);
      assert.deepEqual(await b.store.locateUser('app', 'u1'), { sid: 's1', node: 'n1' });
      assert.equal(await b.store.moveUser('app', 'u1', { sid: 's1', node: 'n1' }, 'n2'), true);
      assert.deepEqual(await b.store.locateUser('app', 'u1'), { sid: 's1', node: 'n2' });
      assert.deepEqual(await b.store.getPresence('app', ['u1']), ['ONLINE']);
      assert.equal(
        await b.store.releaseUser('app', 'u1', { sid: 's1', node: 'n1' }),
        false,
        'the old node no longer releases a session that moved',
      );
      assert.equal(await b.store.releaseUser('app', 'u1', { sid: 's1', node: 'n2' }), true);
      assert.equal(await b.store.locateUser('app', 'u1'), undefined);
      assert.equal(await b.store.moveUser('app', 'u1', { sid: 's1', node: 'n2' }, 'n1'), false);
      await b.close();
    });

    test('nodeAlive answers whether the node was still marked alive', async () => {
      const b = await factory(tempDir(), limits);
      assert.equal(await b.store.nodeAlive('n1', 60_000), false);
      assert.equal(await b.store.nodeAlive('n1', 60_000), true);
      assert.equal(await b.store.nodeAlive('n2', 60_000), false);
      await b.close();
    });

    test('presence is per app and reports UNREACHABLE only for a held user', async () => {
      const b = await factory(tempDir(), limits);
      await b.store.claimUser('app', 'u1', { sid: 's1', node: 'n1' });
      await b.store.setPresence('app', 'u1', 'UNREACHABLE');
      await b.store.setPresence('app', 'ghost', 'ONLINE');
      assert.deepEqual(await b.store.getPresence('app', ['u1', 'ghost']), [
        'UNREACHABLE',
        'OFFLINE',
      ]);
      assert.deepEqual(await b.store.getPresence('other-app', ['u1']), ['OFFLINE']);
      await b.close();
    });

    test('offline messages come back oldest first, are deleted by id, and are kept per receiver', async () => {
      const b = await factory(tempDir(), limits);
      for (let n = 1; n <= 3; n++) await b.store.putOffline('app', 'rx', msg(n));
      await b.store.putOffline('app', 'other', msg(9));
      assert.deepEqual(
        (await b.store.listOffline('app', 'rx')).map((m) => m.mid),
        ['m1', 'm2', 'm3'],
      );
      await b.store.deleteOffline('app', 'rx', ['m1', 'm3']);
      const left = await b.store.listOffline('app', 'rx');
      assert.deepEqual(left, [msg(2, left[0]!.ts)]);
      assert.deepEqual(
        (await b.store.listOffline('app', 'other')).map((m) => m.mid),
        ['m9'],
      );
      await b.close();
    });

    test('past maxPerReceiver the oldest message is evicted first', async () => {
      const b = await factory(tempDir(), limits);
      for (let n = 1; n <= 7; n++) await b.store.putOffline('app', 'rx', msg(n));
      assert.deepEqual(
        (await b.store.listOffline('app', 'rx')).map((m) => m.mid),
        ['m3', 'm4', 'm5', 'm6', 'm7'],
      );
      await b.close();
    });

    test('messages older than maxAgeMs are not delivered', async () => {
      const b = await factory(tempDir(), limits);
      await b.store.putOffline('app', 'rx', msg(1, Date.now() - 120_000));
      await b.store.putOffline('app', 'rx', msg(2));
      assert.deepEqual(
        (await b.store.listOffline('app', 'rx')).map((m) => m.mid),
        ['m2'],
      );
      await b.close();
    });

    test('offline messages survive closing and reopening the backend', async () => {
      const dir = tempDir();
      const b = await factory(dir, limits);
      await Promise.all([
        b.store.putOffline('app', 'rx', msg(1)),
        b.store.putOffline('app', 'rx', msg(2)),
      ]);
      await b.close();
      const again = await factory(dir, limits);
      assert.deepEqual(
        (await again.store.listOffline('app', 'rx')).map((m) => m.mid),
        ['m1', 'm2'],
      );
      await again.close();
    });

    test('a ban holds until its time, and 0 lifts it', async () => {
      const b = await factory(tempDir(), limits);
      const now = Date.now();
      assert.equal(await b.store.getBan('app', 'u1', now), 0);
      await b.store.setBan('app', 'u1', now + 1000);
      assert.equal(await b.store.getBan('app', 'u1', now), now + 1000);
      assert.equal(await b.store.getBan('other', 'u1', now), 0);
      assert.equal(await b.store.getBan('app', 'u1', now + 1000), 0, 'expired');
      await b.store.setBan('app', 'u2', now + 1000);
      await b.store.setBan('app', 'u2', 0);
      assert.equal(await b.store.getBan('app', 'u2', now), 0, 'lifted');
      await b.close();
    });

    test('broker: publish reaches the subscribed handler in order and counts receivers', async () => {
      const b = await factory(tempDir(), limits);
      const got: unknown[] = [];
      assert.equal(await b.broker.publish('topic/a', 1), 0);
      await b.broker.subscribe('topic/a', (p) => got.push(p));
      assert.equal(await b.broker.publish('topic/a', { n: 1 }), 1);
      await b.broker.publish('topic/a', { n: 2 });
      await b.broker.publish('topic/b', { n: 3 });
      await until(() => got.length === 2, 'both messages');
      await b.broker.unsubscribe('topic/a');
      assert.equal(await b.broker.publish('topic/a', { n: 4 }), 0);
      assert.deepEqual(got, [{ n: 1 }, { n: 2 }]);
      await b.close();
    });

    test('broker: channel topics (sharded on Redis) behave the same', async () => {
      const b = await factory(tempDir(), limits);
      const got: unknown[] = [];
      await b.broker.subscribe('channel/app/room', (p) => got.push(p));
      assert.equal(await b.broker.publish('channel/app/room', { n: 1 }), 1);
      assert.equal(await b.broker.publish('channel/app/other', { n: 2 }), 0);
      // Published is not yet handled (another connection carries it on Redis).
      await until(() => got.length === 1, 'the message');
      await b.broker.unsubscribe('channel/app/room');
      assert.equal(await b.broker.publish('channel/app/room', { n: 3 }), 0);
      // Subscribed again, with another handler: { n: 4 } arrives after { n: 3 } would have.
      const again: unknown[] = [];
      await b.broker.subscribe('channel/app/room', (p) => again.push(p));
      assert.equal(await b.broker.publish('channel/app/room', { n: 4 }), 1);
      await until(() => again.length === 1, 'the message after subscribing again');
      assert.deepEqual(again, [{ n: 4 }]);
      assert.deepEqual(got, [{ n: 1 }]);
      await b.close();
    });
  });
}

/**
 * Conformance suite of ChannelStore implementations (channel membership); every backend runs
 * it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChannelStore } from '../src/backend/channel-store.js';

export type ChannelStoreFactory = () => Promise<ChannelStore> | ChannelStore;

export function runChannelStoreConformance(name: string, factory: ChannelStoreFactory): void {
  describe(`channel store conformance: ${name}`, () => {
    test('join and leave report whether membership changed and the count after', async () => {
      const s = await factory();
      assert.deepEqual(await s.join('app', 'c1', 'u1'), { added: true, count: 1 });
      assert.deepEqual(await s.join('app', 'c1', 'u1'), { added: false, count: 1 });
      assert.deepEqual(await s.join('app', 'c1', 'u2'), { added: true, count: 2 });
      assert.deepEqual(await s.leave('app', 'c1', 'u3'), { removed: false, count: 2 });
      assert.deepEqual(await s.leave('app', 'c1', 'u1'), { removed: true, count: 1 });
      assert.deepEqual(await s.members('app', 'c1', 10), ['u2']);
      assert.deepEqual(await s.leave('app', 'c1', 'u2'), { removed: true, count: 0 });
    });

    test('counts are per app and channel, 0 when unknown; members honours the limit', async () => {
      const s = await factory();
      for (let k = 0; k < 5; k++) await s.join('app', 'c2', `u${k}`);
      await s.join('other', 'c2', 'x');
      assert.deepEqual(await s.counts('app', ['c2', 'nope']), [5, 0]);
      assert.deepEqual(await s.counts('other', ['c2']), [1]);
      assert.deepEqual(await s.members('app', 'c2', 3), ['u4', 'u3', 'u2'], 'latest joiners first');
      await s.leave('app', 'c2', 'u3');
      await s.join('app', 'c2', 'u3');
      await s.join('app', 'c2', 'u0');
      assert.deepEqual(
        await s.members('app', 'c2', 10),
        ['u3', 'u4', 'u2', 'u1', 'u0'],
        'a rejoin counts from the rejoin; joining again while a member changes nothing',
      );
    });

    test('channelsOf lists a user’s channels in its app, and forgets one it left', async () => {
      const s = await factory();
      await s.join('app', 'c1', 'u1');
      await s.join('app', 'c2', 'u1');
      await s.join('app', 'c3', 'u2');
      await s.join('other', 'c4', 'u1');
      assert.deepEqual((await s.channelsOf('app', 'u1')).sort(), ['c1', 'c2']);
      await s.leave('app', 'c1', 'u1');
      assert.deepEqual(await s.channelsOf('app', 'u1'), ['c2']);
      assert.deepEqual(await s.channelsOf('other', 'u1'), ['c4']);
      assert.deepEqual(await s.channelsOf('app', 'nobody'), []);
    });

    test('of concurrent joins of one user, one adds it; counts follow every join and leave', async () => {
      const s = await factory();
      const joins = await Promise.all(Array.from({ length: 10 }, () => s.join('app', 'r', 'u1')));
      assert.equal(joins.filter((j) => j.added).length, 1);
      assert.ok(joins.every((j) => j.count === 1));
      const others = await Promise.all(
        Array.from({ length: 10 }, (_, k) => s.join('app', 'r', `o${k}`)),
      );
      assert.deepEqual(
        others.map((j) => j.count).sort((a, b) => a - b),
        [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      );
      assert.deepEqual(await s.counts('app', ['r']), [11]);
    });
  });
}

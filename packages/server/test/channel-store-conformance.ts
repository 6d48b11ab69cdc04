/**
 * Conformance suite of ChannelStore implementations; every backend runs it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChannelStore, StoredAttribute } from '../src/backend/channel-store.js';

export type ChannelStoreFactory = () => Promise<ChannelStore> | ChannelStore;

const attr = (value: string, by = 'u1', ts = 1): StoredAttribute => ({
  value,
  lastUpdateUserId: by,
  lastUpdateTs: ts,
});

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
      const some = await s.members('app', 'c2', 3);
      assert.equal(some.length, 3);
      assert.equal(new Set(some).size, 3);
    });

    test('attributes are kept per owner kind, app and id; an empty map deletes them', async () => {
      const s = await factory();
      await s.putAttributes('user', 'app', 'u1', new Map([['k', attr('v')]]));
      await s.putAttributes(
        'channel',
        'app',
        'u1',
        new Map([['k', attr('channel value', 'u9', 7)]]),
      );
      assert.deepEqual(await s.getAttributes('user', 'app', 'u1'), new Map([['k', attr('v')]]));
      assert.deepEqual(
        await s.getAttributes('channel', 'app', 'u1'),
        new Map([['k', attr('channel value', 'u9', 7)]]),
      );
      assert.deepEqual(await s.getAttributes('user', 'other', 'u1'), new Map());
      await s.putAttributes('user', 'app', 'u1', new Map());
      assert.deepEqual(await s.getAttributes('user', 'app', 'u1'), new Map());
    });

    test('metadata is kept per owner kind, app and id; no items deletes it; reads are copies', async () => {
      const s = await factory();
      assert.deepEqual(await s.getMetadata('user', 'app', 'u1'), {
        majorRevision: 0,
        items: new Map(),
      });
      const item = { value: 'v', revision: 3, updateTs: 5, authorUserId: 'u1' };
      await s.putMetadata('user', 'app', 'u1', { majorRevision: 3, items: new Map([['k', item]]) });
      const read = await s.getMetadata('user', 'app', 'u1');
      assert.deepEqual(read, { majorRevision: 3, items: new Map([['k', item]]) });
      read.items.get('k')!.value = 'changed';
      assert.equal((await s.getMetadata('user', 'app', 'u1')).items.get('k')!.value, 'v');
      assert.deepEqual((await s.getMetadata('channel', 'app', 'u1')).items, new Map());
      await s.putMetadata('user', 'app', 'u1', { majorRevision: 4, items: new Map() });
      assert.deepEqual(await s.getMetadata('user', 'app', 'u1'), {
        majorRevision: 0,
        items: new Map(),
      });
    });

    test('a map read is a copy: changing it changes nothing stored', async () => {
      const s = await factory();
      await s.putAttributes('channel', 'app', 'c', new Map([['a', attr('1')]]));
      const read = await s.getAttributes('channel', 'app', 'c');
      read.set('b', attr('2'));
      assert.deepEqual([...(await s.getAttributes('channel', 'app', 'c')).keys()], ['a']);
    });
  });
}

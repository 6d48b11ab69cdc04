/**
 * Conformance suite of AttributeStore implementations (user and channel attributes and
 * metadata, written by compare-and-set); every backend runs it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttributeStore, StoredAttribute } from '../src/backend/attribute-store.js';

export type AttributeStoreFactory = () => Promise<AttributeStore> | AttributeStore;

const attr = (value: string, by = 'u1', ts = 1): StoredAttribute => ({
  value,
  lastUpdateUserId: by,
  lastUpdateTs: ts,
});

export function runAttributeStoreConformance(name: string, factory: AttributeStoreFactory): void {
  describe(`attribute store conformance: ${name}`, () => {
    test('attributes are kept per owner kind, app and id; an empty map deletes them', async () => {
      const s = await factory();
      assert.equal(
        await s.putAttributesIf('user', 'app', 'u1', new Map([['k', attr('v')]]), ''),
        true,
      );
      const channel = new Map([['k', attr('channel value', 'u9', 7)]]);
      assert.equal(await s.putAttributesIf('channel', 'app', 'u1', channel, ''), true);
      const user = await s.getAttributes('user', 'app', 'u1');
      assert.deepEqual(user.value, new Map([['k', attr('v')]]));
      assert.deepEqual((await s.getAttributes('channel', 'app', 'u1')).value, channel);
      assert.deepEqual(await s.getAttributes('user', 'other', 'u1'), {
        value: new Map(),
        version: '',
      });
      assert.equal(await s.putAttributesIf('user', 'app', 'u1', new Map(), user.version), true);
      assert.deepEqual(await s.getAttributes('user', 'app', 'u1'), {
        value: new Map(),
        version: '',
      });
      assert.equal((await s.getAttributes('channel', 'app', 'u1')).value.size, 1, 'kept');
    });

    test('an attribute write applies only over the version it names; a stale one changes nothing', async () => {
      const s = await factory();
      const a = new Map([['a', attr('1')]]);
      const b = new Map([['b', attr('2')]]);
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', a, 'never written'), false);
      assert.deepEqual(await s.getAttributes('channel', 'app', 'c'), {
        value: new Map(),
        version: '',
      });
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', a, ''), true);
      const first = await s.getAttributes('channel', 'app', 'c');
      assert.notEqual(first.version, '');
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', b, ''), false, 'no longer empty');
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', b, first.version), true);
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', a, first.version), false);
      assert.equal(await s.putAttributesIf('channel', 'app', 'c', new Map(), first.version), false);
      const second = await s.getAttributes('channel', 'app', 'c');
      assert.deepEqual(second.value, b);
      assert.notEqual(second.version, first.version);
      assert.equal((await s.getAttributes('user', 'app', 'c')).version, '', 'owners are apart');
    });

    test('an attribute version is never given again: one read before a delete and rewrite is stale', async () => {
      const s = await factory();
      await s.putAttributesIf('user', 'app', 'u1', new Map([['k', attr('v')]]), '');
      const before = await s.getAttributes('user', 'app', 'u1');
      assert.equal(await s.putAttributesIf('user', 'app', 'u1', new Map(), before.version), true);
      assert.equal(
        await s.putAttributesIf('user', 'app', 'u1', new Map([['k', attr('v')]]), ''),
        true,
      );
      assert.equal(await s.putAttributesIf('user', 'app', 'u1', new Map(), before.version), false);
      assert.deepEqual((await s.getAttributes('user', 'app', 'u1')).value, before.value);
    });

    test('of concurrent attribute writes naming one version, exactly one applies', async () => {
      const s = await factory();
      const { version } = await s.getAttributes('channel', 'app', 'race');
      const won = await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          s.putAttributesIf('channel', 'app', 'race', new Map([['k', attr(String(k))]]), version),
        ),
      );
      assert.equal(won.filter(Boolean).length, 1);
      const stored = await s.getAttributes('channel', 'app', 'race');
      assert.equal(stored.value.get('k')!.value, String(won.indexOf(true)));
    });

    test('metadata is kept per owner kind, app and id; no items deletes it; reads are copies', async () => {
      const s = await factory();
      assert.deepEqual(await s.getMetadata('user', 'app', 'u1'), {
        value: { majorRevision: 0, items: new Map() },
        version: '',
      });
      const item = { value: 'v', revision: 3, updateTs: 5, authorUserId: 'u1' };
      const meta = { majorRevision: 3, items: new Map([['k', item]]) };
      assert.equal(await s.putMetadataIf('user', 'app', 'u1', meta, ''), true);
      const read = await s.getMetadata('user', 'app', 'u1');
      assert.deepEqual(read.value, meta);
      read.value.items.get('k')!.value = 'changed';
      assert.equal((await s.getMetadata('user', 'app', 'u1')).value.items.get('k')!.value, 'v');
      assert.deepEqual((await s.getMetadata('channel', 'app', 'u1')).value.items, new Map());
      const empty = { majorRevision: 4, items: new Map() };
      assert.equal(await s.putMetadataIf('user', 'app', 'u1', empty, read.version), true);
      assert.deepEqual(await s.getMetadata('user', 'app', 'u1'), {
        value: { majorRevision: 0, items: new Map() },
        version: '',
      });
    });

    test('a metadata write applies only over the version it names; versions are never given again', async () => {
      const s = await factory();
      const meta = (mr: number, v: string) => ({
        majorRevision: mr,
        items: new Map([['k', { value: v, revision: mr, updateTs: 0, authorUserId: '' }]]),
      });
      assert.equal(
        await s.putMetadataIf('channel', 'app', 'c', meta(1, 'a'), 'never written'),
        false,
      );
      assert.equal(await s.putMetadataIf('channel', 'app', 'c', meta(1, 'a'), ''), true);
      const first = await s.getMetadata('channel', 'app', 'c');
      assert.notEqual(first.version, '');
      assert.equal(await s.putMetadataIf('channel', 'app', 'c', meta(2, 'b'), ''), false);
      assert.equal(await s.putMetadataIf('channel', 'app', 'c', meta(2, 'b'), first.version), true);
      assert.equal(
        await s.putMetadataIf('channel', 'app', 'c', meta(3, 'c'), first.version),
        false,
      );
      const second = await s.getMetadata('channel', 'app', 'c');
      assert.deepEqual(second.value, meta(2, 'b'));
      // Deleted and written again, to the same value: the version read before is still stale.
      const none = { majorRevision: 3, items: new Map() };
      assert.equal(await s.putMetadataIf('channel', 'app', 'c', none, second.version), true);
      assert.equal(await s.putMetadataIf('channel', 'app', 'c', meta(2, 'b'), ''), true);
      assert.equal(
        await s.putMetadataIf('channel', 'app', 'c', meta(9, 'x'), second.version),
        false,
      );
      assert.deepEqual((await s.getMetadata('channel', 'app', 'c')).value, meta(2, 'b'));
    });

    test('of concurrent metadata writes naming one version, exactly one applies', async () => {
      const s = await factory();
      const { version } = await s.getMetadata('channel', 'app', 'race');
      const won = await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          s.putMetadataIf(
            'channel',
            'app',
            'race',
            {
              majorRevision: 1,
              items: new Map([
                ['k', { value: String(k), revision: 1, updateTs: 0, authorUserId: '' }],
              ]),
            },
            version,
          ),
        ),
      );
      assert.equal(won.filter(Boolean).length, 1);
      const stored = await s.getMetadata('channel', 'app', 'race');
      assert.equal(stored.value.items.get('k')!.value, String(won.indexOf(true)));
    });

    test('a map read is a copy: changing it changes nothing stored', async () => {
      const s = await factory();
      await s.putAttributesIf('channel', 'app', 'c', new Map([['a', attr('1')]]), '');
      const read = await s.getAttributes('channel', 'app', 'c');
      read.value.set('b', attr('2'));
      assert.deepEqual([...(await s.getAttributes('channel', 'app', 'c')).value.keys()], ['a']);
    });
  });
}

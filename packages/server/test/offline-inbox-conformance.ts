/**
 * Conformance suite of OfflineInbox implementations; every backend runs it unchanged.
 * `factory(dataDir, limits)` opens an inbox on a data location, with a `close` that closes it
 * as its backend does; opening it again on the same location must see what was durable.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OfflineInbox, OfflineLimits, StoredMessage } from '../src/backend/offline-inbox.js';
import { tempDir } from '@parley/testkit';

export interface OpenedInbox {
  inbox: OfflineInbox;
  close(): Promise<void>;
}

export type OfflineInboxFactory = (
  dataDir: string,
  limits: OfflineLimits,
) => Promise<OpenedInbox> | OpenedInbox;

const msg = (n: number, ts = Date.now()): StoredMessage => ({
  mid: `m${n}`,
  from: 'sender',
  m: { k: 'T', x: `text ${n}` },
  ts,
});

const mids = (list: StoredMessage[]) => list.map((m) => m.mid);

export function runOfflineInboxConformance(name: string, factory: OfflineInboxFactory): void {
  const limits = { maxPerReceiver: 5, maxAgeMs: 60_000 };

  describe(`offline inbox conformance: ${name}`, () => {
    test('messages come back oldest first, as they were put, are deleted by id, and are kept per receiver', async () => {
      const { inbox, close } = await factory(tempDir(), limits);
      for (let n = 1; n <= 3; n++) await inbox.putOffline('app', 'rx', msg(n));
      await inbox.putOffline('app', 'other', msg(9));
      await inbox.putOffline('other-app', 'rx', msg(8));
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m1', 'm2', 'm3']);
      await inbox.deleteOffline('app', 'rx', ['m1', 'm3', 'unknown']);
      const left = await inbox.listOffline('app', 'rx');
      assert.deepEqual(left, [msg(2, left[0]!.ts)], 'the message as it was put');
      assert.deepEqual(mids(await inbox.listOffline('app', 'other')), ['m9']);
      assert.deepEqual(mids(await inbox.listOffline('other-app', 'rx')), ['m8']);
      assert.deepEqual(await inbox.listOffline('app', 'nobody'), []);
      await close();
    });

    test('listing does not consume: a message is listed again until deleted', async () => {
      const { inbox, close } = await factory(tempDir(), limits);
      await inbox.putOffline('app', 'rx', msg(1));
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m1']);
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m1']);
      await inbox.deleteOffline('app', 'rx', []);
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m1'], 'no ids, no change');
      await inbox.deleteOffline('app', 'rx', ['m1']);
      assert.deepEqual(await inbox.listOffline('app', 'rx'), []);
      await close();
    });

    test('past maxPerReceiver the oldest message is evicted first', async () => {
      const { inbox, close } = await factory(tempDir(), limits);
      for (let n = 1; n <= 7; n++) await inbox.putOffline('app', 'rx', msg(n));
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m3', 'm4', 'm5', 'm6', 'm7']);
      await close();
    });

    test('messages older than maxAgeMs are not delivered', async () => {
      const { inbox, close } = await factory(tempDir(), limits);
      await inbox.putOffline('app', 'rx', msg(1, Date.now() - 120_000));
      await inbox.putOffline('app', 'rx', msg(2));
      assert.deepEqual(mids(await inbox.listOffline('app', 'rx')), ['m2']);
      await close();
    });

    test('messages put at once survive closing and reopening', async () => {
      const dir = tempDir();
      const first = await factory(dir, limits);
      await Promise.all([
        first.inbox.putOffline('app', 'rx', msg(1)),
        first.inbox.putOffline('app', 'rx', msg(2)),
      ]);
      await first.close();
      const again = await factory(dir, limits);
      assert.deepEqual(mids(await again.inbox.listOffline('app', 'rx')), ['m1', 'm2']);
      await again.close();
    });

    test('a put not yet resolved is still durable once the inbox is closed', async () => {
      const dir = tempDir();
      const first = await factory(dir, limits);
      const put = first.inbox.putOffline('app', 'rx', msg(1));
      await first.close();
      await put;
      const again = await factory(dir, limits);
      assert.deepEqual(mids(await again.inbox.listOffline('app', 'rx')), ['m1']);
      await again.close();
    });
  });
}

/**
 * Conformance suite of HistoryStore implementations; every backend runs it unchanged.
 * `factory(dataDir, limits)` opens a store on a data location, with a `close` that closes it as
 * its backend does; opening it again on the same location must see what was durable.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  HistoryFilter,
  HistoryKind,
  HistoryLimits,
  HistoryMessage,
  HistoryStore,
} from '../src/backend/history-store.js';
import { tempDir } from '@parley/testkit';

export interface OpenedHistory {
  history: HistoryStore;
  close(): Promise<void>;
}

export type HistoryStoreFactory = (
  dataDir: string,
  limits: HistoryLimits,
) => Promise<OpenedHistory> | OpenedHistory;

const T0 = 1_700_000_000_000;
let counter = 0;
const msg = (src: string, dst: string, ts: number, kind: HistoryKind = 'peer'): HistoryMessage => ({
  mid: `m${++counter}`,
  src,
  dst,
  kind,
  payload: `${src}>${dst}@${ts - T0}`,
  ts,
});
const all: Omit<HistoryFilter, 'source' | 'destination'> = { startMs: 0, endMs: T0 * 2 };
const texts = (list: HistoryMessage[]) => list.map((m) => m.payload);
const asc = { offset: 0, limit: 100, order: 'asc' as const };

export function runHistoryStoreConformance(name: string, factory: HistoryStoreFactory): void {
  const limits = { maxPerApp: 1000, maxAgeMs: 7 * 24 * 3600_000 };

  describe(`history store conformance: ${name}`, () => {
    test('source and destination match by Agora’s rules; counts agree with queries', async () => {
      const { history: h, close } = await factory(tempDir(), limits);
      await h.append('app', msg('alice', 'bob', T0 + 1));
      await h.append('app', msg('bob', 'alice', T0 + 2));
      await h.append('app', msg('alice', 'lobby', T0 + 3, 'channel'));
      await h.append('app', msg('carol', 'lobby', T0 + 4, 'channel'));
      await h.append('app', msg('alice', 'carol', T0 + 5));
      await h.append('other', msg('alice', 'bob', T0 + 6));
      const q = (f: Partial<HistoryFilter>) => h.query('app', { ...all, ...f }, asc);
      const c = (f: Partial<HistoryFilter>) => h.count('app', { ...all, ...f });
      assert.deepEqual(
        texts(await q({ destination: 'bob' })),
        ['alice>bob@1'],
        'what bob received',
      );
      assert.deepEqual(texts(await q({ destination: 'lobby' })), [
        'alice>lobby@3',
        'carol>lobby@4',
      ]);
      assert.deepEqual(texts(await q({ source: 'alice' })), [
        'alice>bob@1',
        'alice>lobby@3',
        'alice>carol@5',
      ]);
      assert.deepEqual(texts(await q({ source: 'alice', destination: 'bob' })), ['alice>bob@1']);
      assert.deepEqual(texts(await q({ source: 'alice', destination: 'lobby' })), [
        'alice>lobby@3',
      ]);
      assert.deepEqual(await q({ source: 'lobby' }), [], 'a channel sends nothing');
      assert.equal(await c({ source: 'alice' }), 3);
      assert.equal(await c({ destination: 'lobby' }), 2);
      assert.equal(await c({ source: 'nobody' }), 0);
      const [first] = await q({ source: 'alice', destination: 'lobby' });
      assert.deepEqual(first, {
        ...first!,
        src: 'alice',
        dst: 'lobby',
        kind: 'channel',
        ts: T0 + 3,
      });
      assert.match(first!.mid, /^m\d+$/);
      await close();
    });

    test('time range, order, offset and limit', async () => {
      const { history: h, close } = await factory(tempDir(), limits);
      for (let k = 1; k <= 6; k++) await h.append('app', msg('a', 'b', T0 + k * 10));
      const f = { source: 'a', startMs: T0 + 20, endMs: T0 + 50 };
      assert.deepEqual(texts(await h.query('app', f, asc)), [
        'a>b@20',
        'a>b@30',
        'a>b@40',
        'a>b@50',
      ]);
      assert.deepEqual(texts(await h.query('app', f, { offset: 1, limit: 2, order: 'desc' })), [
        'a>b@40',
        'a>b@30',
      ]);
      assert.deepEqual(texts(await h.query('app', f, { offset: 3, limit: 5, order: 'asc' })), [
        'a>b@50',
      ]);
      assert.equal(await h.count('app', f), 4, 'both ends inclusive');
      await close();
    });

    test('bounded per app (oldest evicted) and by age', async () => {
      const { history: h, close } = await factory(tempDir(), { maxPerApp: 3, maxAgeMs: 1000 });
      for (let k = 1; k <= 5; k++) await h.append('app', msg('a', 'b', T0 + k));
      await h.append('other', msg('a', 'b', T0));
      assert.deepEqual(texts(await h.query('app', { ...all, source: 'a' }, asc)), [
        'a>b@3',
        'a>b@4',
        'a>b@5',
      ]);
      assert.equal(await h.count('other', { ...all, source: 'a' }), 1, 'apps are bounded apart');
      await h.append('app', msg('a', 'b', T0 + 1500));
      assert.deepEqual(
        texts(await h.query('app', { ...all, source: 'a' }, asc)),
        ['a>b@1500'],
        'older than the age are dropped',
      );
      await close();
    });

    test('what an append resolved survives a reopen', async () => {
      const dir = tempDir();
      const first = await factory(dir, limits);
      await first.history.append('app', msg('durable', 'x', T0 + 1));
      await first.close();
      const again = await factory(dir, limits);
      assert.deepEqual(
        texts(await again.history.query('app', { ...all, source: 'durable' }, asc)),
        ['durable>x@1'],
      );
      await again.close();
    });
  });
}

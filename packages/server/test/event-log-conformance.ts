/**
 * Conformance suite of EventLog implementations (the REST event pull); every backend runs it.
 * `factory(dataDir, maxPerApp)` opens a log on a data location, with a `close` that closes it as
 * its backend does; opening it again on the same location must see what was appended.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tempDir } from '@parley/testkit';
import type { EventLog } from '../src/backend/event-log.js';

export interface OpenedEventLog {
  log: EventLog;
  close(): Promise<void>;
}

export type EventLogFactory = (
  dataDir: string,
  maxPerApp: number,
) => Promise<OpenedEventLog> | OpenedEventLog;

export function runEventLogConformance(name: string, factory: EventLogFactory): void {
  describe(`event log conformance: ${name}`, () => {
    test('a take answers the oldest events in order and removes them; kinds and apps are apart', async () => {
      const { log, close } = await factory(tempDir(), 100);
      for (let k = 1; k <= 5; k++)
        await log.append('app', 'user', { user_id: `u${k}`, type: 'Login', ms: k });
      await log.append('app', 'channel', { group_id: 'c', user_id: 'u1', type: 'Join', ms: 9 });
      await log.append('other', 'user', { user_id: 'x', type: 'Login', ms: 1 });
      assert.deepEqual(
        (await log.take('app', 'user', 3)).map((e) => e.user_id),
        ['u1', 'u2', 'u3'],
      );
      assert.deepEqual(await log.take('app', 'user', 10), [
        { user_id: 'u4', type: 'Login', ms: 4 },
        { user_id: 'u5', type: 'Login', ms: 5 },
      ]);
      assert.deepEqual(await log.take('app', 'user', 10), [], 'gone once taken');
      assert.deepEqual(await log.take('app', 'channel', 10), [
        { group_id: 'c', user_id: 'u1', type: 'Join', ms: 9 },
      ]);
      assert.deepEqual((await log.take('other', 'user', 10)).length, 1);
      await close();
    });

    test('keeps the newest maxPerApp events', async () => {
      const { log, close } = await factory(tempDir(), 3);
      for (let k = 1; k <= 5; k++)
        await log.append('capped', 'user', { user_id: `u${k}`, type: 'Logout', ms: k });
      assert.deepEqual(
        (await log.take('capped', 'user', 10)).map((e) => e.ms),
        [3, 4, 5],
      );
      await close();
    });

    test('concurrent takes never answer the same event twice', async () => {
      const { log, close } = await factory(tempDir(), 1000);
      for (let k = 0; k < 200; k++)
        await log.append('race', 'user', { user_id: `u${k}`, type: 'Login', ms: k });
      const takes = await Promise.all(
        Array.from({ length: 8 }, () => log.take('race', 'user', 30)),
      );
      const ms = takes.flat().map((e) => e.ms as number);
      assert.equal(new Set(ms).size, ms.length, 'no duplicates');
      assert.equal(ms.length, 200);
      await close();
    });

    test('events survive a reopen, taken ones stay gone, and the cap still holds', async () => {
      const dataDir = tempDir();
      const first = await factory(dataDir, 4);
      for (let k = 1; k <= 3; k++)
        await first.log.append('kept', 'user', { user_id: `u${k}`, type: 'Login', ms: k });
      await first.log.append('kept', 'channel', {
        group_id: 'g',
        user_id: 'u1',
        type: 'Join',
        ms: 1,
      });
      assert.deepEqual(
        (await first.log.take('kept', 'user', 1)).map((e) => e.ms),
        [1],
      );
      await first.close();
      const again = await factory(dataDir, 4);
      for (let k = 4; k <= 6; k++)
        await again.log.append('kept', 'user', { user_id: `u${k}`, type: 'Logout', ms: k });
      assert.deepEqual(
        (await again.log.take('kept', 'user', 10)).map((e) => e.ms),
        [3, 4, 5, 6],
        'u2 went past the cap of 4, with the events of before the reopen counted',
      );
      assert.deepEqual(await again.log.take('kept', 'channel', 10), [
        { group_id: 'g', user_id: 'u1', type: 'Join', ms: 1 },
      ]);
      await again.close();
    });
  });
}

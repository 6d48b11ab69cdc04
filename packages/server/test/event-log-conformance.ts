/** Conformance suite of EventLog implementations (the REST event pull); every backend runs it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventLog } from '../src/backend/event-log.js';

export type EventLogFactory = (maxPerApp: number) => Promise<EventLog> | EventLog;

export function runEventLogConformance(name: string, factory: EventLogFactory): void {
  describe(`event log conformance: ${name}`, () => {
    test('a take answers the oldest events in order and removes them; kinds and apps are apart', async () => {
      const log = await factory(100);
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
    });

    test('keeps the newest maxPerApp events', async () => {
      const log = await factory(3);
      for (let k = 1; k <= 5; k++)
        await log.append('capped', 'user', { user_id: `u${k}`, type: 'Logout', ms: k });
      assert.deepEqual(
        (await log.take('capped', 'user', 10)).map((e) => e.ms),
        [3, 4, 5],
      );
    });

    test('concurrent takes never answer the same event twice', async () => {
      const log = await factory(1000);
      for (let k = 0; k < 200; k++)
        await log.append('race', 'user', { user_id: `u${k}`, type: 'Login', ms: k });
      const takes = await Promise.all(
        Array.from({ length: 8 }, () => log.take('race', 'user', 30)),
      );
      const ms = takes.flat().map((e) => e.ms as number);
      assert.equal(new Set(ms).size, ms.length, 'no duplicates');
      assert.equal(ms.length, 200);
    });
  });
}

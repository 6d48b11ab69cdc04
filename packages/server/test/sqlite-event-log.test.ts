/**
 * The embedded event pull's write batches: an append waits in memory until FLUSH_MS on the
 * node's clock (or a take, or the close) and costs the login no write; what was written is in
 * the database file for any other connection, so it outlives a SIGKILL of the process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock, tempDir } from '@parley/testkit';
import { FLUSH_MS, SqliteEventLog } from '../src/backend/memory/sqlite-event-log.js';
import { openSqlite, sqliteFile } from '../src/backend/memory/sqlite.js';

function opened(max = 100) {
  const dataDir = tempDir();
  openSqlite(dataDir).close(); // the backend's connection makes the file (WAL) first
  const clock = new ManualClock();
  const errors: unknown[] = [];
  const log = new SqliteEventLog(dataDir, max, clock, (err) => errors.push(err));
  const reader = new Database(sqliteFile(dataDir), { readonly: true });
  const written = () =>
    (
      reader.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM rest_event_batches').get() as {
        n: number;
      }
    ).n;
  return { dataDir, clock, log, written, errors, reader };
}

test('appends are written together FLUSH_MS after the first, on the node’s clock', async () => {
  const { clock, log, written, errors, reader } = opened();
  await log.append('app', 'user', { user_id: 'a', type: 'Login', ms: 1 });
  await clock.advance(FLUSH_MS - 1);
  await log.append('app', 'user', { user_id: 'b', type: 'Login', ms: 2 });
  assert.equal(written(), 0, 'nothing written yet: the logins paid no write');
  await clock.advance(1);
  assert.equal(written(), 2, 'both in one batch, FLUSH_MS after the first');
  assert.equal(clock.pending, 0, 'no timer left while nothing waits');
  await log.append('app', 'channel', { group_id: 'g', user_id: 'a', type: 'Join', ms: 3 });
  assert.equal(written(), 2);
  assert.deepEqual(
    (await log.take('app', 'channel', 10)).map((e) => e.type),
    ['Join'],
    'a take writes what waits before it reads',
  );
  assert.equal(written(), 2, 'and the taken one is gone from the file');
  await log.append('app', 'user', { user_id: 'c', type: 'Logout', ms: 4 });
  log.close();
  assert.equal(written(), 3, 'the close writes the last batch');
  assert.deepEqual(errors, []);
  reader.close();
});

test('a burst of 1,000 waiting events is written at once, without waiting for the clock', async () => {
  const { log, written, reader } = opened(5000);
  for (let k = 0; k < 999; k++)
    await log.append('app', 'user', { user_id: 'u', type: 'Login', ms: k });
  assert.equal(written(), 0);
  await log.append('app', 'user', { user_id: 'u', type: 'Login', ms: 999 });
  assert.equal(written(), 1000, 'memory stays bounded on a clock that does not move');
  log.close();
  reader.close();
});

test('batches are rows: the cap and the takes split and drop them, oldest first', async () => {
  const { clock, log, reader } = opened(3);
  const batch = async (...ms: number[]) => {
    for (const k of ms) await log.append('app', 'user', { user_id: `u${k}`, type: 'Login', ms: k });
    await clock.advance(FLUSH_MS);
  };
  await batch(1, 2);
  await batch(3, 4); // 4 > 3: u1 goes, out of the first row
  await batch(5); // u2, the rest of the first row, goes
  await batch(6, 7, 8, 9); // a batch past the cap by itself: only 7, 8, 9 are kept
  await batch(10);
  const ms = async (max: number) => (await log.take('app', 'user', max)).map((e) => e.ms);
  assert.deepEqual(
    await ms(1),
    [8],
    'the cap took 7 (of the row 7, 8, 9); the take splits the rest',
  );
  assert.deepEqual(await ms(10), [9, 10]);
  assert.deepEqual(await ms(10), []);
  await batch(11, 12);
  await batch(13);
  assert.deepEqual(await ms(3), [11, 12, 13], 'a take across rows');
  log.close();
  reader.close();
});

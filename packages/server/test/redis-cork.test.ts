/**
 * corkPerTurn: the commands a Redis connection is given in one event-loop turn leave in one
 * socket write (writev), in order, with their answers; also on the socket of a reconnect.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, uniquePrefix } from '@parley/testkit';
import { corkPerTurn } from '../src/backend/redis/cork-per-turn.js';

/** Counts the writes the socket makes to the kernel (`_write` or `_writev` calls). */
function countWrites(redis: Redis): { writes: number; chunks: number } {
  const seen = { writes: 0, chunks: 0 };
  const s = redis.stream as unknown as {
    _write: (...a: unknown[]) => void;
    _writev?: (chunks: unknown[], cb: unknown) => void;
  };
  const w = s._write.bind(s);
  s._write = (...a) => {
    seen.writes++;
    seen.chunks++;
    w(...a);
  };
  const wv = s._writev?.bind(s);
  if (wv)
    s._writev = (chunks, cb) => {
      seen.writes++;
      seen.chunks += chunks.length;
      wv(chunks, cb);
    };
  return seen;
}

/** Sends `n` RPUSHes in one turn; answers the writes they took, then the list. */
async function burst(redis: Redis, key: string, n: number) {
  const seen = countWrites(redis);
  const replies: Promise<unknown>[] = [];
  for (let k = 0; k < n; k++) replies.push(redis.rpush(key, String(k)));
  await Promise.all(replies);
  const { writes, chunks } = seen;
  return { writes, chunks, list: await redis.lrange(key, 0, -1) };
}

test('a turn of commands leaves in one write, in order, also after a reconnect', async (t) => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  corkPerTurn(redis);
  t.after(() => redis.disconnect());
  await redis.connect();
  const key = `${uniquePrefix()}list`;

  const { writes, chunks, list } = await burst(redis, key, 20);
  assert.deepEqual(
    list,
    Array.from({ length: 20 }, (_, k) => String(k)),
  );
  assert.equal(chunks, 20, 'each command is one chunk');
  assert.equal(writes, 1, 'the 20 commands of the turn left in one write');

  // A reconnect brings a new socket: it is corked per turn too.
  redis.disconnect(true);
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  await redis.del(key);
  const again = await burst(redis, key, 20);
  assert.equal(again.list.length, 20);
  assert.equal(again.writes, 1, 'one write after the reconnect');
  await redis.del(key);
});

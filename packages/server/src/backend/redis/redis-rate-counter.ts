/**
 * RateCounter on Redis: a sorted set per key (`rate:<key>`) of the calls counted, scored by
 * their time; one script drops those past the window, counts, and adds the call if there is
 * room, so takes on any nodes are atomic. A key holds at most `limit` members. Its TTL only
 * collects the keys of idle apps: the window runs on the nodes' clocks, not on Redis's.
 */
import { randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { RateCounter } from '../rate-counter.js';

// KEYS[1] the calls (score = time ms); ARGV limit, windowMs, nowMs, member. Answers 1 or 0.
const TAKE = `local now = tonumber(ARGV[3])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window + 60000)
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyRateTake(
      key: string,
      limit: number,
      windowMs: number,
      nowMs: number,
      member: string,
    ): Result<number, Context>;
  }
}

export class RedisRateCounter implements RateCounter {
  /** Makes this node's members unique among every node's. */
  private readonly tag = randomBytes(6).toString('base64url');
  private calls = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('parleyRateTake', { numberOfKeys: 1, lua: TAKE });
  }

  async take(key: string, limit: number, windowMs: number, nowMs: number): Promise<boolean> {
    const member = `${this.tag}:${++this.calls}`;
    const counted = `${this.prefix}rate:${key}`;
    return (await this.redis.parleyRateTake(counted, limit, windowMs, nowMs, member)) === 1;
  }
}

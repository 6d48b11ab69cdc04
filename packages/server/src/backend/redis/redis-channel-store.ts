/**
 * ChannelStore on Redis: a sorted set per channel (`cmembers:<app>:<channel>`, members by join
 * order, so member lists are the latest joiners, as on one node) and a set per user
 * (`uchans:<app>:<uid>`, its channels). Each script and transaction keeps to one key.
 */
import type { Redis, Result } from 'ioredis';
import type { ChannelStore } from '../channel-store.js';
import { replies } from './replies.js';

// KEYS[1] channel members (sorted set, score = join order); ARGV[1] uid. Answers {added, count}.
const JOIN = `if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {0, redis.call('ZCARD', KEYS[1])} end
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[1], (tonumber(top[2]) or 0) + 1, ARGV[1])
return {1, redis.call('ZCARD', KEYS[1])}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyJoin(key: string, uid: string): Result<[number, number], Context>;
  }
}

export class RedisChannelStore implements ChannelStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // Sent by EVALSHA, loaded again by ioredis when Redis lost its script cache.
    redis.defineCommand('parleyJoin', { numberOfKeys: 1, lua: JOIN });
  }

  /** Not `members:`, where earlier versions kept a plain set. */
  private membersKey(app: string, channel: string): string {
    return `${this.prefix}cmembers:${app}:${channel}`;
  }

  private channelsKey(app: string, uid: string): string {
    return `${this.prefix}uchans:${app}:${uid}`;
  }

  // A channel's set and a user's set are in different slots, so no transaction spans both.
  // Instead a join adds to the user's set first and a leave takes from it last (one connection
  // keeps the order): if a node dies between the two, the user's set lists a channel too many,
  // never one too few, and leaving a channel one is no member of is harmless. Both commands go
  // out at once, so this costs no round trip.
  async join(
    app: string,
    channel: string,
    uid: string,
  ): Promise<{ added: boolean; count: number }> {
    const key = this.membersKey(app, channel);
    const [, [added, count]] = await Promise.all([
      this.redis.sadd(this.channelsKey(app, uid), channel),
      this.redis.parleyJoin(key, uid),
    ]);
    return { added: added === 1, count };
  }

  async leave(
    app: string,
    channel: string,
    uid: string,
  ): Promise<{ removed: boolean; count: number }> {
    const key = this.membersKey(app, channel);
    const [r] = await Promise.all([
      this.redis.multi().zrem(key, uid).zcard(key).exec(),
      this.redis.srem(this.channelsKey(app, uid), channel),
    ]);
    const [removed, count] = replies(r);
    return { removed: removed === 1, count: Number(count) };
  }

  /** The latest `limit` joiners, latest first. */
  members(app: string, channel: string, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.membersKey(app, channel), 0, limit - 1);
  }

  channelsOf(app: string, uid: string): Promise<string[]> {
    return this.redis.smembers(this.channelsKey(app, uid));
  }

  // One command per channel rather than a pipeline: the channels are in different slots.
  counts(app: string, channels: readonly string[]): Promise<number[]> {
    return Promise.all(channels.map((c) => this.redis.zcard(this.membersKey(app, c))));
  }
}

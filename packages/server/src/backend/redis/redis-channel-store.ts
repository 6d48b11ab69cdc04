/**
 * ChannelStore on Redis: a sorted set per channel (`cmembers:<app>:<channel>`, members by join
 * order, so member lists are the latest joiners, as on one node) and a set per user
 * (`uchans:<app>:<uid>`, its channels). Each script and transaction keeps to one key.
 */
import type { Redis, Result } from 'ioredis';
import type { ChannelPage, ChannelStore } from '../channel-store.js';
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

  /** The latest joiners, latest first. */
  members(app: string, channel: string, limit: number, offset = 0): Promise<string[]> {
    return this.redis.zrevrange(this.membersKey(app, channel), offset, offset + limit - 1);
  }

  channelsOf(app: string, uid: string): Promise<string[]> {
    return this.redis.smembers(this.channelsKey(app, uid));
  }

  // One command per channel rather than a pipeline: the channels are in different slots.
  counts(app: string, channels: readonly string[]): Promise<number[]> {
    return Promise.all(channels.map((c) => this.redis.zcard(this.membersKey(app, c))));
  }

  /**
   * SCANs the app's member keys (a channel's key exists while it has members). The cursor is
   * SCAN's; SCAN's COUNT is a hint, so a page may hold fewer or a few more than `limit`.
   */
  async listChannels(app: string, cursor: string, limit: number): Promise<ChannelPage> {
    const start = this.membersKey(app, '');
    let at = cursor === '' ? '0' : cursor;
    const found: string[] = [];
    do {
      const [next, keys] = await this.redis.scan(at, 'MATCH', `${start}*`, 'COUNT', limit);
      at = next;
      for (const k of keys) found.push(k.slice(start.length));
    } while (found.length < limit && at !== '0');
    const counts = await this.counts(app, found);
    const channels = found.map((id, k) => ({ id, count: counts[k]! })).filter((c) => c.count > 0);
    return { channels, next: at === '0' ? '' : at };
  }
}

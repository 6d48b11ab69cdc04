/**
 * ChannelStore on Redis: a sorted set per channel (members by join time, so member lists are the
 * latest joiners, as on one node) and a set per user (its channels), a hash per
 * attribute owner, a hash per metadata owner. Every attribute and metadata write is one Lua
 * compare-and-set on one key, so it holds across nodes and in a Redis Cluster alike.
 */
import { randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { replies } from './replies.js';
import type {
  AttributeMap,
  AttributeOwner,
  ChannelStore,
  StoredAttribute,
  StoredMetadata,
  StoredMetadataItem,
  Version,
  Versioned,
} from '../channel-store.js';

/**
 * The attribute hash's field holding its version. Attribute keys are 1-32 visible characters
 * (checked at the edge), so none is ''.
 */
const VERSION_FIELD = '';

// KEYS[1] attribute hash (its field '' is VERSION_FIELD); ARGV[1] expected version, ARGV[2] new
// version, ARGV[3..] the new fields and values (none: delete). Answers 1 when written, 0 when
// the version had moved on.
const PUT_ATTRIBUTES_IF = `if (redis.call('HGET', KEYS[1], '') or '') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if #ARGV > 2 then redis.call('HSET', KEYS[1], '', ARGV[2], unpack(ARGV, 3)) end
return 1`;
// KEYS[1] metadata hash (fields v: version, d: JSON); ARGV[1] expected version, ARGV[2] new
// version, ARGV[3] JSON ('' to delete). Answers 1 when written, 0 when the version had moved on.
const PUT_METADATA_IF = `if (redis.call('HGET', KEYS[1], 'v') or '') ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('DEL', KEYS[1])
else redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3]) end
return 1`;

// KEYS[1] channel members (sorted set, score = join order); ARGV[1] uid. Answers {added, count}.
const JOIN = `if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {0, redis.call('ZCARD', KEYS[1])} end
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[1], (tonumber(top[2]) or 0) + 1, ARGV[1])
return {1, redis.call('ZCARD', KEYS[1])}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyJoin(key: string, uid: string): Result<[number, number], Context>;
    parleyPutAttributesIf(
      key: string,
      expected: string,
      next: string,
      ...fieldsAndValues: string[]
    ): Result<number, Context>;
    parleyPutMetadataIf(
      key: string,
      expected: string,
      next: string,
      json: string,
    ): Result<number, Context>;
  }
}

interface MetadataJson {
  majorRevision: number;
  items: [string, StoredMetadataItem][];
}

export class RedisChannelStore implements ChannelStore {
  /** This store's part of every version it writes; with `written`, unique across nodes. */
  private readonly writer = randomBytes(9).toString('base64url');
  private written = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // Sent by EVALSHA, loaded again by ioredis when Redis lost its script cache.
    redis.defineCommand('parleyPutAttributesIf', { numberOfKeys: 1, lua: PUT_ATTRIBUTES_IF });
    redis.defineCommand('parleyPutMetadataIf', { numberOfKeys: 1, lua: PUT_METADATA_IF });
    redis.defineCommand('parleyJoin', { numberOfKeys: 1, lua: JOIN });
  }

  /** Not `members:`, where earlier versions kept a plain set. */
  private membersKey(app: string, channel: string): string {
    return `${this.prefix}cmembers:${app}:${channel}`;
  }

  private channelsKey(app: string, uid: string): string {
    return `${this.prefix}uchans:${app}:${uid}`;
  }

  private attributesKey(owner: AttributeOwner, app: string, id: string): string {
    return `${this.prefix}attrs:${owner}:${app}:${id}`;
  }

  /** Not `meta:`, where earlier versions kept a string: a hash command on one would fail. */
  private metadataKey(owner: AttributeOwner, app: string, id: string): string {
    return `${this.prefix}metadata:${owner}:${app}:${id}`;
  }

  private nextVersion(): Version {
    return `${this.writer}.${++this.written}`;
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

  async getAttributes(
    owner: AttributeOwner,
    app: string,
    id: string,
  ): Promise<Versioned<AttributeMap>> {
    const raw = await this.redis.hgetall(this.attributesKey(owner, app, id));
    const value: AttributeMap = new Map();
    for (const [k, v] of Object.entries(raw))
      if (k !== VERSION_FIELD) value.set(k, JSON.parse(v) as StoredAttribute);
    return { value, version: raw[VERSION_FIELD] ?? '' };
  }

  async putAttributesIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
    version: Version,
  ): Promise<boolean> {
    const fields: string[] = [];
    for (const [k, a] of attrs) fields.push(k, JSON.stringify(a));
    const key = this.attributesKey(owner, app, id);
    return (
      (await this.redis.parleyPutAttributesIf(key, version, this.nextVersion(), ...fields)) === 1
    );
  }

  async getMetadata(
    owner: AttributeOwner,
    app: string,
    id: string,
  ): Promise<Versioned<StoredMetadata>> {
    const [version, raw] = await this.redis.hmget(this.metadataKey(owner, app, id), 'v', 'd');
    if (!raw) return { value: { majorRevision: 0, items: new Map() }, version: version ?? '' };
    const m = JSON.parse(raw) as MetadataJson;
    return {
      value: { majorRevision: m.majorRevision, items: new Map(m.items) },
      version: version ?? '',
    };
  }

  async putMetadataIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    meta: StoredMetadata,
    version: Version,
  ): Promise<boolean> {
    const json: MetadataJson = { majorRevision: meta.majorRevision, items: [...meta.items] };
    const r = await this.redis.parleyPutMetadataIf(
      this.metadataKey(owner, app, id),
      version,
      this.nextVersion(),
      meta.items.size === 0 ? '' : JSON.stringify(json),
    );
    return r === 1;
  }
}

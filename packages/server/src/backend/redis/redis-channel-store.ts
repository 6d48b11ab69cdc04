/** ChannelStore on Redis: a set per channel, a hash per attribute owner, a string per metadata. */
import type { Redis } from 'ioredis';
import type {
  AttributeMap,
  AttributeOwner,
  ChannelStore,
  StoredAttribute,
  StoredMetadata,
  StoredMetadataItem,
} from '../channel-store.js';

export class RedisChannelStore implements ChannelStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private membersKey(app: string, channel: string): string {
    return `${this.prefix}members:${app}:${channel}`;
  }

  async join(
    app: string,
    channel: string,
    uid: string,
  ): Promise<{ added: boolean; count: number }> {
    const r = await this.redis
      .multi()
      .sadd(this.membersKey(app, channel), uid)
      .scard(this.membersKey(app, channel))
      .sadd(`${this.prefix}uchans:${app}:${uid}`, channel)
      .exec();
    return { added: r?.[0]?.[1] === 1, count: Number(r?.[1]?.[1] ?? 0) };
  }

  async leave(
    app: string,
    channel: string,
    uid: string,
  ): Promise<{ removed: boolean; count: number }> {
    const r = await this.redis
      .multi()
      .srem(this.membersKey(app, channel), uid)
      .scard(this.membersKey(app, channel))
      .srem(`${this.prefix}uchans:${app}:${uid}`, channel)
      .exec();
    return { removed: r?.[0]?.[1] === 1, count: Number(r?.[1]?.[1] ?? 0) };
  }

  async members(app: string, channel: string, limit: number): Promise<string[]> {
    const key = this.membersKey(app, channel);
    return (await this.redis.scard(key)) <= limit
      ? this.redis.smembers(key)
      : this.redis.srandmember(key, limit);
  }

  channelsOf(app: string, uid: string): Promise<string[]> {
    return this.redis.smembers(`${this.prefix}uchans:${app}:${uid}`);
  }

  async counts(app: string, channels: readonly string[]): Promise<number[]> {
    const pipe = this.redis.pipeline();
    for (const c of channels) pipe.scard(this.membersKey(app, c));
    return ((await pipe.exec()) ?? []).map(([, n]) => Number(n ?? 0));
  }

  async getAttributes(owner: AttributeOwner, app: string, id: string): Promise<AttributeMap> {
    const raw = await this.redis.hgetall(`${this.prefix}attrs:${owner}:${app}:${id}`);
    return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as StoredAttribute]));
  }

  async putAttributes(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
  ): Promise<void> {
    const key = `${this.prefix}attrs:${owner}:${app}:${id}`;
    const tx = this.redis.multi().del(key);
    if (attrs.size > 0)
      tx.hset(key, Object.fromEntries([...attrs].map(([k, v]) => [k, JSON.stringify(v)])));
    await tx.exec();
  }

  async getMetadata(owner: AttributeOwner, app: string, id: string): Promise<StoredMetadata> {
    const raw = await this.redis.get(`${this.prefix}meta:${owner}:${app}:${id}`);
    if (!raw) return { majorRevision: 0, items: new Map() };
    const m = JSON.parse(raw) as { majorRevision: number; items: [string, StoredMetadataItem][] };
    return { majorRevision: m.majorRevision, items: new Map(m.items) };
  }

  async putMetadata(
    owner: AttributeOwner,
    app: string,
    id: string,
    meta: StoredMetadata,
  ): Promise<void> {
    const key = `${this.prefix}meta:${owner}:${app}:${id}`;
    if (meta.items.size === 0) await this.redis.del(key);
    else
      await this.redis.set(
        key,
        JSON.stringify({ majorRevision: meta.majorRevision, items: [...meta.items] }),
      );
  }
}

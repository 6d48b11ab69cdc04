/**
 * AttributeStore on Redis: a hash per attribute owner (`attrs:<owner>:<app>:<id>`, its field ''
 * the version) and a hash per metadata owner (`metadata:<owner>:<app>:<id>`: v version, d JSON).
 * Every write is one Lua compare-and-set on one key, so it holds across nodes and in a Redis
 * Cluster alike.
 */
import { randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type {
  AttributeMap,
  AttributeOwner,
  AttributeStore,
  StoredAttribute,
  StoredMetadata,
  StoredMetadataItem,
  Version,
  Versioned,
} from '../attribute-store.js';

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

declare module 'ioredis' {
  interface RedisCommander<Context> {
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

export class RedisAttributeStore implements AttributeStore {
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

/**
 * ChannelStore: channel membership, and user and channel attributes and metadata, shared by
 * every node. Implementations live beside the other backend files and pass
 * `test/channel-store-conformance.ts`.
 *
 * Attributes and metadata change by read-modify-write, and the nodes of one deployment write
 * them at once; so each value is read with a version, and each write is a compare-and-set on
 * it: it applies only to the value it was computed from. Writers go through `OwnerWrites`.
 */

/** An attribute with who set it and when. */
export interface StoredAttribute {
  value: string;
  lastUpdateUserId: string;
  lastUpdateTs: number;
}

export type AttributeMap = Map<string, StoredAttribute>;

export type AttributeOwner = 'user' | 'channel';

/** A metadata item as stored. */
export interface StoredMetadataItem {
  value: string;
  revision: number;
  /** ms; 0 when not recorded. */
  updateTs: number;
  /** '' when not recorded. */
  authorUserId: string;
}

export interface StoredMetadata {
  majorRevision: number;
  items: Map<string, StoredMetadataItem>;
}

/**
 * Names one stored value of one owner: `''` when nothing is stored, and otherwise never given
 * to another value, so equal versions mean an unchanged value (no ABA after delete and rewrite).
 */
export type Version = string;

/** A value as read, with the version a compare-and-set names. */
export interface Versioned<T> {
  value: T;
  version: Version;
}

export interface ChannelStore {
  /** Adds a member; answers whether it was new and the member count after. */
  join(app: string, channel: string, uid: string): Promise<{ added: boolean; count: number }>;
  /** Removes a member; answers whether it was there and the member count after. */
  leave(app: string, channel: string, uid: string): Promise<{ removed: boolean; count: number }>;
  /** Up to `limit` members (a sample when there are more). */
  members(app: string, channel: string, limit: number): Promise<string[]>;
  /** The channels a user is a member of. */
  channelsOf(app: string, uid: string): Promise<string[]>;
  /** Member counts, 0 for unknown channels. */
  counts(app: string, channels: readonly string[]): Promise<number[]>;

  /** The attributes of a user or a channel (empty when none), a copy, and their version. */
  getAttributes(owner: AttributeOwner, app: string, id: string): Promise<Versioned<AttributeMap>>;
  /**
   * Compare-and-set: replaces the attributes (an empty map deletes them) if they are still at
   * `version`; answers false, changing nothing, when another write came first.
   */
  putAttributesIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
    version: Version,
  ): Promise<boolean>;

  /** The metadata (no items and majorRevision 0 when none), a copy, and its version. */
  getMetadata(owner: AttributeOwner, app: string, id: string): Promise<Versioned<StoredMetadata>>;
  /**
   * Compare-and-set: replaces the metadata (no items deletes it) if it is still at `version`;
   * answers false, changing nothing, when another write came first.
   */
  putMetadataIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    meta: StoredMetadata,
    version: Version,
  ): Promise<boolean>;
}

/** Answered to a write that lost every compare-and-set it tried. */
export const CONFLICT: unique symbol = Symbol('conflict');

/**
 * Compare-and-set attempts per batch of writes before they give up. An attempt is lost only to
 * another node's write that succeeded.
 */
export const maxWriteAttempts = 16;
/**
 * A lost attempt waits a random time up to this before it reads again, so that nodes that
 * collided do not collide again in step (one node could lose every time).
 */
export const writeRetryMaxDelayMs = 20;

/** A write's decision on the value it applies to. */
export interface Decision<V, R> {
  /** The value after the write; absent when it changes nothing (a refusal, say). */
  next?: V;
  /** What the writer is answered. */
  result: R;
}

/** One owner's value in a ChannelStore: attributes or metadata of a user or a channel. */
export interface OwnerRef {
  owner: AttributeOwner;
  app: string;
  id: string;
}

interface Queued<V> {
  decide: (cur: V) => Decision<V, unknown>;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * One node's writes to the attributes (or the metadata) of users and channels. The writes to
 * one owner queue up, and each turn takes all queued ones as a batch: it reads the value once,
 * lets each write decide in turn on the value the previous left, and stores the last with one
 * compare-and-set. When another node wrote in between, it reads and decides again. So writes of
 * one node never race each other, a node's backlog costs two round trips, not two per write,
 * and writes of different nodes are applied in some one order with none lost.
 */
export class OwnerWrites<V> {
  private readonly queues = new Map<string, Queued<V>[]>();

  constructor(
    private readonly read: (ref: OwnerRef) => Promise<Versioned<V>>,
    private readonly putIf: (ref: OwnerRef, value: V, version: Version) => Promise<boolean>,
  ) {}

  /**
   * Applies a write decided by `decide`, a pure function of the value it applies to (it may run
   * more than once); answers its result, or CONFLICT when the value kept changing under it.
   */
  write<R>(ref: OwnerRef, decide: (cur: V) => Decision<V, R>): Promise<R | typeof CONFLICT> {
    return new Promise((resolve, reject) => {
      const key = `${ref.owner}/${ref.app}/${ref.id}`;
      const entry: Queued<V> = { decide, resolve: resolve as (r: unknown) => void, reject };
      const queue = this.queues.get(key);
      if (queue) return void queue.push(entry);
      this.queues.set(key, [entry]);
      void this.drain(key, ref);
    });
  }

  private async drain(key: string, ref: OwnerRef): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const results = await this.commit(ref, batch);
        batch.forEach((e, k) => e.resolve(results[k]));
      } catch (err) {
        for (const e of batch) e.reject(err);
      }
    }
    this.queues.delete(key);
  }

  private async commit(ref: OwnerRef, batch: Queued<V>[]): Promise<unknown[]> {
    for (let n = 0; n < maxWriteAttempts; n++) {
      if (n > 0) await new Promise((r) => setTimeout(r, Math.random() * writeRetryMaxDelayMs));
      const cur = await this.read(ref);
      let value = cur.value;
      let changed = false;
      const results = batch.map((e) => {
        const d = e.decide(value);
        if (d.next !== undefined) [value, changed] = [d.next, true];
        return d.result;
      });
      if (!changed || (await this.putIf(ref, value, cur.version))) return results;
    }
    return batch.map(() => CONFLICT);
  }
}

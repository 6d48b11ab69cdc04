/**
 * OwnerWrites: how services write attributes and metadata over an AttributeStore's versioned
 * compare-and-set, so that writers on several nodes lose no update.
 */
import type { AttributeOwner, Version, Versioned } from './attribute-store.js';

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

/** One owner's value in an AttributeStore: attributes or metadata of a user or a channel. */
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

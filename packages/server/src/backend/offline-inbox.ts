/**
 * OfflineInbox: peer messages kept for receivers who were offline when they were sent.
 * Implementations live beside the other backend files and pass
 * `test/offline-inbox-conformance.ts`.
 *
 * Guarantees:
 * - A put resolves once the message is durable: in the fsynced SQLite WAL for the embedded
 *   backend, as durable as its persistence settings make it on Redis (AOF with
 *   `appendfsync always` for fsync per write). The sender is told "stored" only after that.
 * - A receiver's messages come back in the order they were put, and are listed again (at least
 *   once) until deleted: the receiver's node deletes them once the SDK acknowledged them, and
 *   the SDK drops a redelivered one by its `mid`.
 *
 * What expires: past `maxPerReceiver` a put evicts the receiver's oldest messages; a message
 * older than `maxAgeMs` is never listed again, and is dropped some time later (SQLite: a sweep
 * each minute; Redis: the receiver's list expires `maxAgeMs` after its last put).
 */
import type { WireMessage } from '@parley/protocol';

/** A peer message kept for a receiver who was offline. */
export interface StoredMessage {
  /** Server message id, stable across redeliveries (the SDK drops duplicates by it). */
  mid: string;
  from: string;
  m: WireMessage;
  /** serverReceivedTs, ms since the epoch. */
  ts: number;
}

export interface OfflineLimits {
  /** Kept per receiver; the oldest is evicted first. */
  maxPerReceiver: number;
  /** Older messages are dropped, not delivered. */
  maxAgeMs: number;
}

export interface OfflineInbox {
  /**
   * Keeps a message for an offline receiver. Resolves once it is durable (on disk for the
   * embedded backend). Evicts the receiver's oldest messages beyond `maxPerReceiver`.
   */
  putOffline(app: string, to: string, msg: StoredMessage): Promise<void>;
  /** The receiver's kept messages, oldest first, without those past `maxAgeMs`. */
  listOffline(app: string, to: string): Promise<StoredMessage[]>;
  /** Forgets kept messages once the receiver acknowledged them; unknown ids are ignored. */
  deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void>;
}

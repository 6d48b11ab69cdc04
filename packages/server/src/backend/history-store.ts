/**
 * HistoryStore: text messages sent with `enableHistoricalMessaging` (SDK) or
 * `enable_historical_messaging` (REST), kept for Agora's history query and count endpoints.
 * Implementations live beside the other backend files and pass
 * `test/history-store-conformance.ts`.
 *
 * Guarantees:
 * - An append resolves once the message is durable: in the fsynced SQLite WAL for the embedded
 *   backend, as durable as its persistence settings make it on Redis. The sender hears back
 *   only after that.
 * - A query or a count sees every message appended before it that matches, by Agora's rules:
 *   `source` matches the sender, `destination` the receiver (a user for peer messages, the
 *   channel for channel messages), `startMs`/`endMs` the server's receive time, both inclusive.
 *   At least one of `source` and `destination` is given (the caller checks it).
 *
 * What expires: past `maxPerApp` an append evicts the app's oldest messages; a message older
 * than `maxAgeMs` before the newest append of its app is dropped with that append. Callers bound
 * `startMs` by the age themselves (a store keeps no clock).
 */

export type HistoryKind = 'peer' | 'channel';

/** A message as kept in the history. */
export interface HistoryMessage {
  /** Server message id. */
  mid: string;
  /** The sender's user id. */
  src: string;
  /** The receiver's user id (peer) or the channel id (channel). */
  dst: string;
  kind: HistoryKind;
  /** The text. */
  payload: string;
  /** When the server received it, ms since the epoch. */
  ts: number;
}

export interface HistoryFilter {
  source?: string;
  destination?: string;
  startMs: number;
  endMs: number;
}

export interface HistoryLimits {
  maxPerApp: number;
  maxAgeMs: number;
}

export interface HistoryPage {
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
}

export interface HistoryStore {
  /** Keeps a message; resolves once it is durable. */
  append(app: string, msg: HistoryMessage): Promise<void>;
  /** The matching messages, ordered by receive time (`asc` oldest first), from `offset`. */
  query(app: string, filter: HistoryFilter, page: HistoryPage): Promise<HistoryMessage[]>;
  /** How many messages match. */
  count(app: string, filter: HistoryFilter): Promise<number>;
}

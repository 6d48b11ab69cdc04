/**
 * EventLog: the user and channel events of Agora's REST event pull (`vendor/user_events`,
 * `vendor/channel_events`), per app and kind, shared by every node. Implementations live beside
 * the other backend files and pass `test/event-log-conformance.ts`.
 *
 * Guarantees:
 * - A take is a destructive read: the events it answers, oldest first, are gone for every
 *   later take on any node; two takes never answer the same event.
 * - Events of one app and kind are kept in the order they were appended (appends of one node
 *   keep that node's order; appends of several nodes interleave as they reach the store).
 *
 * What expires: past `maxPerApp` per app and kind an append drops the oldest events (Agora
 * keeps the newest 2,000). Nothing else expires. What a crash may lose is the implementation's
 * (Redis: what Redis loses; SQLite: the last unwritten batch, see sqlite-event-log.ts).
 */

export type EventLogKind = 'user' | 'channel';

/** One pulled event, as the REST answer shows it (`{user_id, type, ms}` and the like). */
export type LoggedEvent = Readonly<Record<string, string | number>>;

export interface EventLog {
  /** Appends an event; resolves once a take on any node sees it. */
  append(app: string, kind: EventLogKind, event: LoggedEvent): Promise<void>;
  /** Takes (removes and answers) up to `max` of the oldest events. */
  take(app: string, kind: EventLogKind, max: number): Promise<LoggedEvent[]>;
}

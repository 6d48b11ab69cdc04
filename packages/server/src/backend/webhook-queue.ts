/**
 * WebhookQueue: the webhook notices waiting to be delivered, durable, one queue per owner (a
 * node id on Redis; the embedded backend's one node uses one owner across restarts).
 * Implementations live beside the other backend files and pass
 * `test/webhook-queue-conformance.ts`.
 *
 * Guarantees:
 * - A push resolves once the notice is durable (fsynced SQLite WAL; on Redis as durable as its
 *   persistence settings). A queue holding `max` notices refuses a push (answers false and
 *   keeps nothing): the caller counts and logs the drop.
 * - Each app's notices come back in the order they were pushed; `heads` answers the oldest of
 *   each app, so apps are delivered side by side and each in order.
 * - `adopt` moves a dead owner's notices to another owner once: of owners racing to adopt, the
 *   notices go to one of them. What a queue accepted is never lost, so adopting ignores `max`.
 *
 * Nothing expires here: the deliverer removes a notice once delivered or given up.
 */

/** One notice as queued: Agora Notifications' envelope without `notifyMs` (set per attempt). */
export interface QueuedNotice {
  /** noticeId: the same on every attempt. */
  id: string;
  app: string;
  eventType: number;
  /** The envelope's payload, as JSON text. */
  payload: string;
  /** When it was queued, ms since the epoch. */
  queuedMs: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be tried before this, ms since the epoch. */
  notBeforeMs: number;
}

export interface WebhookQueue {
  /** Appends a notice after its app's earlier ones; false (nothing kept) when the queue is full. */
  push(owner: string, notice: QueuedNotice): Promise<boolean>;
  /** The oldest notice of each app with one queued. */
  heads(owner: string): Promise<QueuedNotice[]>;
  /** The oldest notice of one app. */
  head(owner: string, app: string): Promise<QueuedNotice | undefined>;
  /** Removes the app's oldest notice if it is `id` (delivered or given up); else nothing. */
  remove(owner: string, app: string, id: string): Promise<void>;
  /** Records a failed attempt of the app's oldest notice `id`: its attempts and next time. */
  postpone(
    owner: string,
    app: string,
    id: string,
    attempts: number,
    notBeforeMs: number,
  ): Promise<void>;
  /** Notices in the owner's queue. */
  size(owner: string): Promise<number>;
  /** Moves every notice of `from`'s queue to `to`'s, each app's in order; answers how many. */
  adopt(from: string, to: string): Promise<number>;
}

/**
 * Delivers a node's webhook queue: each app's notices one at a time, in order (apps side by
 * side), each until a 2xx answer. A failed attempt is tried again with the same `noticeId`
 * after `retryMs`, then twice as long each time up to `retryMaxMs`, until the notice has failed
 * for `retryForMs` (then it is dropped, counted and logged). Every wait runs on the injected
 * clock, and the attempts and next time of a notice are kept in the queue, so a restart goes
 * on where it was. Nothing here is on a message's path: enqueuing is one queue write.
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import type { QueuedNotice, WebhookQueue } from '../backend/webhook-queue.js';
import type { EventStream, WebhookDeliveryEvent } from '../events.js';
import type { Logger } from '../log.js';
import { PRODUCT_ID } from './event-types.js';
import type { Post } from './http-post.js';
import { signatureHeaders } from './signing.js';

export interface DeliveryOptions {
  url: string;
  secret: string;
  retryMs: number;
  retryMaxMs: number;
  retryForMs: number;
}

export class WebhookDeliverer {
  /** Apps with an attempt in flight or waiting on a timer. */
  private readonly busy = new Set<string>();
  /** Busy apps that were given a notice meanwhile: look at their queue again when done. */
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(
    private readonly queue: WebhookQueue,
    /** Whose queue this node delivers. */
    readonly owner: string,
    private readonly o: DeliveryOptions,
    private readonly post: Post,
    private readonly events: EventStream,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Starts on what the queue holds (notices left by a previous run of this node). */
  async start(): Promise<void> {
    for (const head of await this.queue.heads(this.owner)) this.wake(head.app);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clear(t);
    this.timers.clear();
  }

  /** Queues a notice; a full queue drops it (counted and logged). */
  async enqueue(n: QueuedNotice): Promise<void> {
    if (!(await this.queue.push(this.owner, n))) {
      this.log.warn(
        { noticeId: n.id, app: n.app, eventType: n.eventType },
        'webhook queue full: notice dropped',
      );
      this.emit(n, 'dropped', 0);
      return;
    }
    this.wake(n.app);
  }

  /** Takes over a dead node's queue. */
  async adopt(from: string): Promise<void> {
    if (from === this.owner || (await this.queue.adopt(from, this.owner)) === 0) return;
    this.log.info({ node: from }, "took over a dead node's webhook queue");
    for (const head of await this.queue.heads(this.owner)) this.wake(head.app);
  }

  private wake(app: string): void {
    if (this.stopped) return;
    if (this.busy.has(app)) {
      this.again.add(app);
      return;
    }
    this.busy.add(app);
    this.next(app).catch((err: unknown) => this.trouble(app, err));
  }

  /** Works on the app's oldest notice, or lets the app rest when it has none. */
  private async next(app: string): Promise<void> {
    this.again.delete(app);
    const head = await this.queue.head(this.owner, app);
    if (this.stopped) return;
    if (!head) {
      if (this.again.has(app)) return this.next(app);
      this.busy.delete(app);
      return;
    }
    const wait = head.notBeforeMs - this.clock.now();
    if (wait > 0) this.later(app, wait, () => this.attempt(head));
    else await this.attempt(head);
  }

  private async attempt(n: QueuedNotice): Promise<void> {
    const now = this.clock.now();
    // The payload is kept as JSON text: spliced in, not parsed again.
    const head = JSON.stringify({
      noticeId: n.id,
      productId: PRODUCT_ID,
      eventType: n.eventType,
      notifyMs: now,
    });
    const body = `${head.slice(0, -1)},"payload":${n.payload}}`;
    const ok = await this.post(this.o.url, body, signatureHeaders(body, this.o.secret));
    if (this.stopped) return;
    const attempts = n.attempts + 1;
    if (ok) {
      await this.queue.remove(this.owner, n.app, n.id);
      this.emit(n, 'delivered', attempts);
      return this.next(n.app);
    }
    if (this.clock.now() - n.queuedMs >= this.o.retryForMs) {
      await this.queue.remove(this.owner, n.app, n.id);
      this.log.warn(
        { noticeId: n.id, app: n.app, eventType: n.eventType, attempts },
        'webhook notice given up: it failed for the whole retry period',
      );
      this.emit(n, 'expired', attempts);
      return this.next(n.app);
    }
    const delay = Math.min(this.o.retryMs * 2 ** (attempts - 1), this.o.retryMaxMs);
    const retry = { ...n, attempts, notBeforeMs: this.clock.now() + delay };
    await this.queue.postpone(this.owner, n.app, n.id, attempts, retry.notBeforeMs);
    this.emit(n, 'failed', attempts);
    this.later(n.app, delay, () => this.attempt(retry));
  }

  private later(app: string, ms: number, run: () => Promise<void>): void {
    this.timers.set(
      app,
      this.clock.setTimeout(() => {
        this.timers.delete(app);
        run().catch((err: unknown) => this.trouble(app, err));
      }, ms),
    );
  }

  /** A queue operation failed (the store is away): look at the app again after a while. */
  private trouble(app: string, err: unknown): void {
    this.log.error({ err, app }, 'webhook delivery: the queue failed; trying again');
    if (!this.stopped) this.later(app, this.o.retryMs, () => this.next(app));
  }

  private emit(n: QueuedNotice, outcome: WebhookDeliveryEvent['outcome'], attempts: number): void {
    this.events.emit({
      type: 'webhook.delivery',
      app: n.app,
      ts: this.clock.now(),
      noticeId: n.id,
      eventType: n.eventType,
      outcome,
      attempts,
    });
  }
}

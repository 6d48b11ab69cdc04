/**
 * The admin console's live charts: every `statsIntervalMs` this node samples its connections,
 * sessions and the message and delivery rates since the last sample, and keeps the samples of
 * the last `statsWindowMs` (on the injected clock).
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import type { Metrics } from './metrics.js';

export interface StatsSample {
  ts: number;
  connections: number;
  sessions: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
}

export class LiveStats {
  private readonly samples: StatsSample[] = [];
  private readonly timer: TimerHandle;
  private last: { ts: number; messages: number; deliveries: number };

  constructor(
    private readonly metrics: Metrics,
    private readonly gauges: { connections(): number; sessions(): number },
    private readonly intervalMs: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {
    this.last = { ts: clock.now(), messages: metrics.messages, deliveries: metrics.deliveries };
    this.timer = clock.setInterval(() => this.sample(), intervalMs);
    this.timer.unref?.();
  }

  /** What the admin route answers: this node's samples and how they are taken. */
  view(node: string): Record<string, unknown> {
    return { node, intervalMs: this.intervalMs, windowMs: this.windowMs, samples: this.samples };
  }

  stop(): void {
    this.clock.clear(this.timer);
  }

  private sample(): void {
    const ts = this.clock.now();
    const { messages, deliveries } = this.metrics;
    const seconds = Math.max(ts - this.last.ts, 1) / 1000;
    const rate = (n: number) => Math.round((n / seconds) * 10) / 10;
    this.samples.push({
      ts,
      connections: this.gauges.connections(),
      sessions: this.gauges.sessions(),
      messagesPerSecond: rate(messages - this.last.messages),
      deliveriesPerSecond: rate(deliveries - this.last.deliveries),
    });
    this.last = { ts, messages, deliveries };
    const keep = Math.max(1, Math.floor(this.windowMs / this.intervalMs));
    if (this.samples.length > keep) this.samples.splice(0, this.samples.length - keep);
  }
}

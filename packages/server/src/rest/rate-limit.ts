/**
 * The REST API's rate limit: at most `perSecond` calls per app in any second (Agora's is 500
 * per App ID), counted across every node when the backend shares a RateCounter (Redis). A
 * sliding one-second window per app, on the injected clock; 0 = no limit. This node's own
 * window is checked first: a node that alone went past the limit answers 429 without asking
 * Redis.
 */
import type { Clock } from '@parley/protocol';
import type { RateCounter } from '../backend/rate-counter.js';
import { RateWindow } from '../rate-window.js';
import { RestError } from './answers.js';

/** Apps whose window is kept at once; past it the oldest is forgotten (an open server sees any). */
const MAX_APPS = 10_000;

export class RestRateLimit {
  private readonly windows = new Map<string, RateWindow>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly shared: RateCounter | undefined,
  ) {}

  /** Counts one call of `app`; throws (or rejects with) 429 past the limit. */
  take(app: string): Promise<void> | undefined {
    if (this.perSecond === 0) return;
    let w = this.windows.get(app);
    if (!w) {
      if (this.windows.size >= MAX_APPS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(app, (w = new RateWindow(this.perSecond, 1000)));
    }
    const now = this.clock.now();
    if (!w.take(now)) throw this.tooMany();
    if (!this.shared) return;
    return this.shared.take(`rest:${app}`, this.perSecond, 1000, now).then((counted) => {
      if (!counted) throw this.tooMany();
    });
  }

  private tooMany(): RestError {
    return new RestError(
      429,
      'too_many_requests',
      `appId: more than ${this.perSecond} REST calls per second; slow down`,
    );
  }
}

/**
 * The REST API's rate limit: at most `perSecond` calls per app in any second, on this node
 * (Agora's is 500 per App ID). A sliding one-second window per app, on the injected clock;
 * 0 = no limit.
 */
import type { Clock } from '@parley/protocol';
import { RateWindow } from '../rate-window.js';
import { RestError } from './answers.js';

/** Apps whose window is kept at once; past it the oldest is forgotten (an open server sees any). */
const MAX_APPS = 10_000;

export class RestRateLimit {
  private readonly windows = new Map<string, RateWindow>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one call of `app`; throws 429 past the limit. */
  take(app: string): void {
    if (this.perSecond === 0) return;
    let w = this.windows.get(app);
    if (!w) {
      if (this.windows.size >= MAX_APPS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(app, (w = new RateWindow(this.perSecond, 1000)));
    }
    if (!w.take(this.clock.now()))
      throw new RestError(
        429,
        'too_many_requests',
        `appId: more than ${this.perSecond} REST calls per second; slow down`,
      );
  }
}

/**
 * A sliding-window rate limiter without allocation per call: a ring of the last `count`
 * accepted times. A call is allowed when the oldest of them left the window.
 */
export class RateWindow {
  private readonly times: Float64Array;
  private next = 0;

  constructor(
    count: number,
    private readonly windowMs: number,
  ) {
    this.times = new Float64Array(Math.max(1, count)).fill(-Infinity);
  }

  /** Records a call at `now` and answers true, or answers false and records nothing. */
  take(now: number): boolean {
    if (now - this.times[this.next]! < this.windowMs) return false;
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.times.length;
    return true;
  }
}

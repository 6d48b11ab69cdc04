/**
 * A sliding-window rate limiter without allocation per call. Up to `EXACT_LIMIT` calls per
 * window it keeps a ring of the last `count` accepted times and is exact; above that (limits
 * raised for load tests) it is the usual sliding-window counter: the previous fixed window's
 * count, weighted by how much of it still overlaps, plus the current one — O(1) memory.
 */
const EXACT_LIMIT = 1024;

export class RateWindow {
  private readonly times: Float64Array | undefined;
  private next = 0;
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
  ) {
    if (count <= EXACT_LIMIT) this.times = new Float64Array(Math.max(1, count)).fill(-Infinity);
  }

  /** Records a call at `now` and answers true, or answers false and records nothing. */
  take(now: number): boolean {
    const times = this.times;
    if (times) {
      if (now - times[this.next]! < this.windowMs) return false;
      times[this.next] = now;
      this.next = (this.next + 1) % times.length;
      return true;
    }
    const elapsed = now - this.windowStart;
    if (elapsed >= this.windowMs) {
      this.previous = elapsed >= 2 * this.windowMs ? 0 : this.current;
      this.current = 0;
      this.windowStart = now - (elapsed % this.windowMs);
    }
    const overlap = 1 - (now - this.windowStart) / this.windowMs;
    if (this.previous * overlap + this.current >= this.count) return false;
    this.current++;
    return true;
  }
}

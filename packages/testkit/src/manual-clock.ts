/**
 * ManualClock: a Clock whose time moves only when a test says so. Give it to `startServer` and
 * to `createInstance` and a test that needs 30 s to pass advances the clock instead of sleeping.
 * Sockets and promises still run on the real event loop: `advance` fires each due timer in time
 * order and lets pending I/O run after each, so what a timer causes has happened when it returns
 * (as far as one event-loop turn goes; wait for the resulting event to be sure).
 */
import type { Clock, TimerHandle } from '@parley/protocol';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  /** Set for an interval: its period. */
  every?: number;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  /** Starts at `start` (default: the real time now, so tokens made with real time are valid). */
  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete((handle as { id: number }).id);
  }

  /** How many timers are pending (a test can check that nothing stays scheduled). */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, earliest first,
   * each at its own time, with a turn of the real event loop after each.
   */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > end) break;
      this.time = Math.max(this.time, next.at);
      if (next.every !== undefined) next.at += next.every;
      else this.timers.delete(next.id);
      next.fn();
      await turn();
    }
    this.time = end;
    await turn();
  }

  private add(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const id = this.nextId++;
    const timer: Timer = { id, at: this.time + Math.max(0, ms), fn };
    if (every !== undefined) timer.every = every;
    this.timers.set(id, timer);
    return { id, unref: () => undefined } as TimerHandle;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) if (!best || t.at < best.at) best = t;
    return best;
  }
}

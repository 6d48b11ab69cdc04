/**
 * One sweep timer per clock for every connection that runs on it. Each connection checks its
 * deadlines (login, retries, requests, the heartbeat and its watchdog) every
 * `Timing.sweepIntervalMs`; with a timer of its own, a process holding many clients (a bot,
 * a bridge, a test rig) woke once per client per sweep: 100 idle clients, ~400 wake-ups a
 * second. Joined, they wake together, once.
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import { Timing } from './config.js';

/** What a sweep calls: a connection's deadline check. */
export interface Swept {
  sweep(now: number): void;
}

class Sweep {
  private readonly members = new Set<Swept>();
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** Adds `m` (once: joining again changes nothing). */
  join(m: Swept): void {
    this.members.add(m);
    if (this.timer) return;
    this.timer = this.clock.setInterval(() => this.run(), Timing.sweepIntervalMs);
    this.timer.unref?.();
  }

  /** Removes `m`, if it is in; the timer stops with the last. */
  leave(m: Swept): void {
    if (!this.members.delete(m) || this.members.size > 0) return;
    this.clock.clear(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    const now = this.clock.now();
    // A member that leaves or joins during the run is seen or not: Set iteration allows both.
    for (const m of this.members) {
      try {
        m.sweep(now);
      } catch (err) {
        // One connection's fault must not stop the others' deadlines; the host reports it.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

const byClock = new WeakMap<Clock, Sweep>();

/** The sweep of `clock`, shared by every connection on it. */
export function sweepOf(clock: Clock): Sweep {
  let s = byClock.get(clock);
  if (!s) byClock.set(clock, (s = new Sweep(clock)));
  return s;
}

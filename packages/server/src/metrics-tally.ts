/**
 * Counters whose totals are kept here and handed to prom-client when scraped. prom-client's
 * `inc(labels)` hashes its label object and allocates a result on every call; on the message
 * path that is per message (bench S2's heap profile: ~8 % of the bytes allocated). A tally
 * finds its slot through Maps of the label values (server-chosen names: bounded) and adds to a
 * number: no string or object per event.
 */
import { Counter, type Registry } from 'prom-client';

interface Slot {
  labels: Partial<Record<string, string>>;
  n: number;
}

export class Tally {
  private readonly slots = new Map<string, Map<string, Slot>>();

  constructor(
    name: string,
    help: string,
    private readonly labelNames: readonly [string] | readonly [string, string],
    registers: Registry[],
  ) {
    const slots = this.slots;
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const inner of slots.values()) for (const s of inner.values()) this.inc(s.labels, s.n);
      },
    });
  }

  /** Adds `n` to the series of the label values `a` (and `b`, for two labels). */
  add(a: string, b = '', n = 1): void {
    let inner = this.slots.get(a);
    if (!inner) this.slots.set(a, (inner = new Map()));
    let slot = inner.get(b);
    if (!slot) {
      const labels: Slot['labels'] = { [this.labelNames[0]]: a };
      if (this.labelNames[1] !== undefined) labels[this.labelNames[1]] = b;
      inner.set(b, (slot = { labels, n: 0 }));
    }
    slot.n += n;
  }
}

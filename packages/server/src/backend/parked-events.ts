/**
 * ParkedEvents: events for a user whose node stopped listening (it died), kept until the user
 * lands on a node or the user's resume window has passed. Implementations: `memory/` and
 * `redis/parked-events.ts`.
 *
 * Guarantees: a user's events come back in the order they were parked, and each is taken once
 * (`take` empties the user's list atomically); a list left untaken expires `ttlMs` after its
 * last park.
 */
export interface ParkedEvents {
  park(app: string, uid: string, event: unknown, ttlMs: number): Promise<void>;
  /** Takes (and forgets) the user's parked events, oldest first. */
  take(app: string, uid: string): Promise<unknown[]>;
}

/** In memory (one node: nothing outlives it there, but tests and the interface use it). */
export class MemoryParkedEvents implements ParkedEvents {
  private readonly lists = new Map<string, { events: unknown[]; until: number }>();

  constructor(private readonly now: () => number) {}

  park(app: string, uid: string, event: unknown, ttlMs: number): Promise<void> {
    const key = app + '\u0000' + uid;
    const list = this.lists.get(key);
    const until = this.now() + ttlMs;
    if (list && list.until > this.now()) {
      list.events.push(event);
      list.until = until;
    } else this.lists.set(key, { events: [event], until });
    return Promise.resolve();
  }

  take(app: string, uid: string): Promise<unknown[]> {
    const key = app + '\u0000' + uid;
    const list = this.lists.get(key);
    this.lists.delete(key);
    return Promise.resolve(list && list.until > this.now() ? list.events : []);
  }
}

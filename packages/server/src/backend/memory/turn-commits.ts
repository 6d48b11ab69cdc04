/**
 * Writes to SQLite that wait for the end of the event-loop turn and commit together, in one
 * transaction: a burst of writes costs one fsync (with `synchronous = FULL`, see sqlite.ts),
 * and each writer's promise resolves once its write is committed. A transaction that fails
 * rejects every write of it.
 */
import type { SqliteDb } from './sqlite.js';

interface Pending<T, R> {
  item: T;
  done: (r: R) => void;
  fail: (e: unknown) => void;
}

export class TurnCommits<T, R = void> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;

  /** `write` runs inside the transaction, once per item, in the order they were added. */
  constructor(
    private readonly db: SqliteDb,
    private readonly write: (item: T) => R,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((done, fail) => {
      this.pending.push({ item, done, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is pending now (the close of a store calls it). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: R[];
    try {
      results = this.db.transaction(() => batch.map((p) => this.write(p.item)))();
    } catch (e) {
      for (const p of batch) p.fail(e);
      return;
    }
    batch.forEach((p, k) => p.done(results[k]!));
  }
}

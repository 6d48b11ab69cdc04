/**
 * The REST event pull's events in SQLite: a table in the embedded backend's database, on a
 * connection of its own with `synchronous = NORMAL` (the other stores' connection fsyncs every
 * commit; Agora documents the pull as best-effort, and a login must not pay a write for it).
 * Appends wait in memory and are written together, in one transaction, `FLUSH_MS` after the
 * first of them on the node's clock, as soon as `FLUSH_MAX_EVENTS` wait, before every take and
 * at close. So:
 * - a take sees every event appended before it (it writes them first);
 * - a SIGTERM loses nothing (the server closes its backend after draining its clients);
 * - a SIGKILL or a crash of the process loses the events of its last `FLUSH_MS` at most (a
 *   committed WAL write survives the process);
 * - a crash of the machine may also lose what the OS had not written to disk yet, and bring
 *   back events already taken (NORMAL syncs the WAL at checkpoints, not at each commit).
 * A batch is one row per app and kind (a JSON array), so a write costs one insert per app, not
 * one per event; a take or the cap rewrites the one row it splits. One process owns the
 * database, so the number of each app's events is kept here and the cap costs no query.
 */
import Database from 'better-sqlite3';
import type { Clock, TimerHandle } from '@parley/protocol';
import type { EventLog, EventLogKind, LoggedEvent } from '../event-log.js';
import { sqliteFile } from './sqlite.js';

/** How long an appended event may wait in memory before it is written. */
export const FLUSH_MS = 50;
/** Waiting events that are written at once, whatever the clock says. */
const FLUSH_MAX_EVENTS = 1000;

/** The waiting events of one app and kind. */
interface Events {
  app: string;
  kind: EventLogKind;
  list: LoggedEvent[];
}

interface Row {
  seq: number;
  n: number;
  events: string;
}

const RESOLVED = Promise.resolve();
const keyOf = (app: string, kind: EventLogKind) => `${kind}:${app}`;

export class SqliteEventLog implements EventLog {
  private readonly db: Database.Database;
  /** Events stored per app and kind (`keyOf`). */
  private readonly counts = new Map<string, number>();
  /** Events waiting to be written, per app and kind, in the order they came. */
  private pending = new Map<string, Events>();
  private waiting = 0;
  private timer: TimerHandle | undefined;
  /** The last row number given. */
  private seq: number;
  private readonly flushNow = () => this.flush();
  private readonly insert: Database.Statement;
  private readonly oldest: Database.Statement;
  private readonly removeTo: Database.Statement;
  private readonly rewrite: Database.Statement;
  private readonly counted: Database.Statement;
  private readonly write: (batch: Iterable<Events>) => void;
  private readonly shiftTx: (app: string, kind: EventLogKind, max: number) => LoggedEvent[];

  /** `onError` hears of a batch that could not be written (its events are lost). */
  constructor(
    dataDir: string,
    private readonly maxPerApp: number,
    private readonly clock: Clock,
    private readonly onError: (err: unknown, lost: number) => void,
  ) {
    const db = (this.db = new Database(sqliteFile(dataDir)));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // One B-tree in the order takes read it; `seq` is this process's (one owns the file).
    db.exec(`CREATE TABLE IF NOT EXISTS rest_event_batches (
      app TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
      n INTEGER NOT NULL, events TEXT NOT NULL, PRIMARY KEY (app, kind, seq)) WITHOUT ROWID`);
    this.seq =
      (db.prepare('SELECT MAX(seq) AS seq FROM rest_event_batches').get() as { seq: number | null })
        .seq ?? 0;
    this.counted = db.prepare(
      'SELECT app, kind, SUM(n) AS n FROM rest_event_batches GROUP BY app, kind',
    );
    this.recount();
    this.insert = db.prepare('INSERT INTO rest_event_batches VALUES (?, ?, ?, ?, ?)');
    this.oldest = db.prepare(`SELECT seq, n, events FROM rest_event_batches
      WHERE app = ? AND kind = ? ORDER BY seq LIMIT ?`);
    this.removeTo = db.prepare(
      'DELETE FROM rest_event_batches WHERE app = ? AND kind = ? AND seq <= ?',
    );
    this.rewrite = db.prepare(
      'UPDATE rest_event_batches SET n = ?, events = ? WHERE app = ? AND kind = ? AND seq = ?',
    );
    this.write = db.transaction((batch: Iterable<Events>) => {
      for (const { app, kind, list } of batch) {
        // Past the cap within the batch itself: the older ones are never written.
        const kept = list.length > this.maxPerApp ? list.slice(-this.maxPerApp) : list;
        this.insert.run(app, kind, ++this.seq, kept.length, JSON.stringify(kept));
        const key = keyOf(app, kind);
        const count = (this.counts.get(key) ?? 0) + kept.length;
        this.counts.set(key, count);
        if (count > this.maxPerApp) this.shift(app, kind, count - this.maxPerApp, false);
      }
    });
    this.shiftTx = db.transaction((app: string, kind: EventLogKind, max: number) =>
      this.shift(app, kind, max, true),
    );
  }

  append(app: string, kind: EventLogKind, event: LoggedEvent): Promise<void> {
    if (this.maxPerApp <= 0) return RESOLVED; // none kept
    const key = keyOf(app, kind);
    const waiting = this.pending.get(key);
    if (waiting) waiting.list.push(event);
    else this.pending.set(key, { app, kind, list: [event] });
    if (++this.waiting >= FLUSH_MAX_EVENTS) this.flush();
    else if (!this.timer) {
      this.timer = this.clock.setTimeout(this.flushNow, FLUSH_MS);
      this.timer.unref?.();
    }
    return RESOLVED;
  }

  take(app: string, kind: EventLogKind, max: number): Promise<LoggedEvent[]> {
    try {
      this.flush();
      return Promise.resolve(this.shiftTx(app, kind, max));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Writes what waits and closes the connection. */
  close(): void {
    this.flush();
    this.db.close();
  }

  /** Writes the waiting events now. */
  flush(): void {
    this.clock.clear(this.timer);
    this.timer = undefined;
    if (this.waiting === 0) return;
    const batch = this.pending;
    const lost = this.waiting;
    this.pending = new Map();
    this.waiting = 0;
    try {
      this.write(batch.values());
    } catch (err) {
      this.recount(); // the transaction rolled back; the counts of its first rows did not
      this.onError(err, lost);
    }
  }

  private recount(): void {
    this.counts.clear();
    for (const r of this.counted.all() as { app: string; kind: EventLogKind; n: number }[])
      this.counts.set(keyOf(r.app, r.kind), r.n);
  }

  /**
   * Removes the `max` oldest events of an app and kind, in the caller's transaction; answers
   * them if `answer` (the cap needs only the one row it splits read).
   */
  private shift(app: string, kind: EventLogKind, max: number, answer: boolean): LoggedEvent[] {
    // Each row holds one event at least: `max` rows are enough.
    const rows = this.oldest.all(app, kind, max) as Row[];
    const out: LoggedEvent[] = [];
    let removed = 0;
    let removedTo = -1;
    for (const row of rows) {
      const left = max - removed;
      if (left === 0) break;
      if (row.n <= left) {
        if (answer) out.push(...(JSON.parse(row.events) as LoggedEvent[]));
        removed += row.n;
        removedTo = row.seq;
        continue;
      }
      const events = JSON.parse(row.events) as LoggedEvent[];
      if (answer) out.push(...events.slice(0, left));
      this.rewrite.run(row.n - left, JSON.stringify(events.slice(left)), app, kind, row.seq);
      removed += left;
    }
    if (removedTo >= 0) this.removeTo.run(app, kind, removedTo);
    const key = keyOf(app, kind);
    const count = (this.counts.get(key) ?? removed) - removed;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
    return out;
  }
}

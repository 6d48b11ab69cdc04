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
 * One process owns the database, so the count of each app's events is kept here and the cap
 * costs no COUNT.
 */
import Database from 'better-sqlite3';
import type { Clock, TimerHandle } from '@parley/protocol';
import type { EventLog, EventLogKind, LoggedEvent } from '../event-log.js';
import { sqliteFile } from './sqlite.js';

/** How long an appended event may wait in memory before it is written. */
export const FLUSH_MS = 50;
/** Waiting events that are written at once, whatever the clock says. */
const FLUSH_MAX_EVENTS = 1000;

interface Pending {
  app: string;
  kind: EventLogKind;
  event: LoggedEvent;
}

const RESOLVED = Promise.resolve();
const countKey = (app: string, kind: EventLogKind) => `${kind}:${app}`;

export class SqliteEventLog implements EventLog {
  private readonly db: Database.Database;
  private readonly counts = new Map<string, number>();
  private pending: Pending[] = [];
  private timer: TimerHandle | undefined;
  /** The last sequence number given. */
  private seq: number;
  private readonly flushNow = () => this.flush();
  private readonly insert: Database.Statement;
  private readonly trim: Database.Statement;
  private readonly select: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly counted: Database.Statement;
  private readonly write: (batch: Pending[]) => void;

  /** `onError` hears of a batch that could not be written (its events are lost). */
  constructor(
    dataDir: string,
    private readonly maxPerApp: number,
    private readonly clock: Clock,
    private readonly onError: (err: unknown, lost: number) => void,
  ) {
    this.db = new Database(sqliteFile(dataDir));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // One B-tree, ordered as the takes read it: the sequence is this process's (one owns the file).
    this.db.exec(`CREATE TABLE IF NOT EXISTS rest_events (
      app TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
      PRIMARY KEY (app, kind, seq)) WITHOUT ROWID`);
    const last = this.db.prepare('SELECT MAX(seq) AS seq FROM rest_events').get() as {
      seq: number | null;
    };
    this.seq = last.seq ?? 0;
    this.insert = this.db.prepare(
      'INSERT INTO rest_events (app, kind, seq, event) VALUES (?, ?, ?, ?)',
    );
    this.trim = this.db.prepare(`DELETE FROM rest_events WHERE app = @app AND kind = @kind AND
      seq <= (SELECT seq FROM rest_events WHERE app = @app AND kind = @kind
              ORDER BY seq LIMIT 1 OFFSET @over - 1)`);
    this.select = this.db.prepare(
      'SELECT seq, event FROM rest_events WHERE app = ? AND kind = ? ORDER BY seq LIMIT ?',
    );
    this.remove = this.db.prepare(
      'DELETE FROM rest_events WHERE app = ? AND kind = ? AND seq <= ?',
    );
    this.counted = this.db.prepare(
      'SELECT app, kind, COUNT(*) AS n FROM rest_events GROUP BY app, kind',
    );
    this.recount();
    this.write = this.db.transaction((batch: Pending[]) => {
      for (const p of batch) {
        this.insert.run(p.app, p.kind, ++this.seq, JSON.stringify(p.event));
        const key = countKey(p.app, p.kind);
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
      for (const p of batch) {
        const key = countKey(p.app, p.kind);
        const over = this.counts.get(key)! - this.maxPerApp;
        if (over <= 0) continue;
        this.trim.run({ app: p.app, kind: p.kind, over });
        this.counts.set(key, this.maxPerApp);
      }
    });
  }

  append(app: string, kind: EventLogKind, event: LoggedEvent): Promise<void> {
    this.pending.push({ app, kind, event });
    if (this.pending.length >= FLUSH_MAX_EVENTS) this.flush();
    else if (!this.timer) {
      this.timer = this.clock.setTimeout(this.flushNow, FLUSH_MS);
      this.timer.unref?.();
    }
    return RESOLVED;
  }

  take(app: string, kind: EventLogKind, max: number): Promise<LoggedEvent[]> {
    try {
      this.flush();
      const rows = this.select.all(app, kind, max) as { seq: number; event: string }[];
      if (rows.length === 0) return Promise.resolve([]);
      this.remove.run(app, kind, rows.at(-1)!.seq);
      const key = countKey(app, kind);
      const left = (this.counts.get(key) ?? rows.length) - rows.length;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
      return Promise.resolve(rows.map((r) => JSON.parse(r.event) as LoggedEvent));
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
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.write(batch);
    } catch (err) {
      this.recount();
      this.onError(err, batch.length);
    }
  }

  private recount(): void {
    this.counts.clear();
    for (const r of this.counted.all() as { app: string; kind: EventLogKind; n: number }[])
      this.counts.set(countKey(r.app, r.kind), r.n);
  }
}

/**
 * The webhook queue in SQLite, in the embedded backend's database: it survives a crash of the
 * process. Pushes, removals and postponements of one event-loop turn commit together (one
 * fsync). The size of each queue is counted here (one process owns the database), so a push
 * checks the bound without a COUNT.
 */
import type Database from 'better-sqlite3';
import type { QueuedNotice, WebhookQueue } from '../webhook-queue.js';
import type { SqliteDb } from './sqlite.js';
import { TurnCommits } from './turn-commits.js';

type Op =
  | { op: 'push'; owner: string; n: QueuedNotice }
  | { op: 'remove'; owner: string; app: string; id: string }
  | { op: 'postpone'; owner: string; app: string; id: string; attempts: number; at: number };

interface Row {
  id: string;
  app: string;
  event_type: number;
  payload: string;
  queued_ms: number;
  attempts: number;
  not_before_ms: number;
}

const COLUMNS = 'id, app, event_type, payload, queued_ms, attempts, not_before_ms';

const notice = (r: Row): QueuedNotice => ({
  id: r.id,
  app: r.app,
  eventType: r.event_type,
  payload: r.payload,
  queuedMs: r.queued_ms,
  attempts: r.attempts,
  notBeforeMs: r.not_before_ms,
});

export class SqliteWebhookQueue implements WebhookQueue {
  private readonly commits: TurnCommits<Op, boolean>;
  private readonly sizes = new Map<string, number>();
  private readonly selectHeads: Database.Statement;
  private readonly selectHead: Database.Statement;
  private readonly moveAll: Database.Statement;

  constructor(
    private readonly db: SqliteDb,
    private readonly max: number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS webhook_notices (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, app TEXT NOT NULL,
      id TEXT NOT NULL, event_type INTEGER NOT NULL, payload TEXT NOT NULL,
      queued_ms INTEGER NOT NULL, attempts INTEGER NOT NULL, not_before_ms INTEGER NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS webhook_by_app ON webhook_notices (owner, app, seq)');
    const counted = db.prepare('SELECT owner, COUNT(*) AS n FROM webhook_notices GROUP BY owner');
    for (const r of counted.all() as { owner: string; n: number }[]) this.sizes.set(r.owner, r.n);
    this.selectHeads = db.prepare(`SELECT ${COLUMNS} FROM webhook_notices WHERE seq IN
      (SELECT MIN(seq) FROM webhook_notices WHERE owner = ? GROUP BY app) ORDER BY seq`);
    this.selectHead = db.prepare(
      `SELECT ${COLUMNS} FROM webhook_notices WHERE owner = ? AND app = ? ORDER BY seq LIMIT 1`,
    );
    this.moveAll = db.prepare('UPDATE webhook_notices SET owner = ? WHERE owner = ?');
    const insert = db.prepare(`INSERT INTO webhook_notices
      (owner, app, id, event_type, payload, queued_ms, attempts, not_before_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    // Only the head of its app: the one the deliverer worked on.
    const headOf = `seq = (SELECT MIN(seq) FROM webhook_notices WHERE owner = ? AND app = ?)`;
    const remove = db.prepare(`DELETE FROM webhook_notices WHERE id = ? AND ${headOf}`);
    const postpone = db.prepare(
      `UPDATE webhook_notices SET attempts = ?, not_before_ms = ? WHERE id = ? AND ${headOf}`,
    );
    this.commits = new TurnCommits(db, (o) => {
      if (o.op === 'push') {
        const size = this.sizes.get(o.owner) ?? 0;
        if (size >= this.max) return false;
        const n = o.n;
        insert.run(
          o.owner,
          n.app,
          n.id,
          n.eventType,
          n.payload,
          n.queuedMs,
          n.attempts,
          n.notBeforeMs,
        );
        this.sizes.set(o.owner, size + 1);
        return true;
      }
      if (o.op === 'remove') {
        if (remove.run(o.id, o.owner, o.app).changes === 0) return false;
        this.sizes.set(o.owner, (this.sizes.get(o.owner) ?? 1) - 1);
        return true;
      }
      return postpone.run(o.attempts, o.at, o.id, o.owner, o.app).changes > 0;
    });
  }

  push(owner: string, n: QueuedNotice): Promise<boolean> {
    return this.commits.add({ op: 'push', owner, n });
  }

  heads(owner: string): Promise<QueuedNotice[]> {
    return Promise.resolve((this.selectHeads.all(owner) as Row[]).map(notice));
  }

  head(owner: string, app: string): Promise<QueuedNotice | undefined> {
    const r = this.selectHead.get(owner, app) as Row | undefined;
    return Promise.resolve(r && notice(r));
  }

  async remove(owner: string, app: string, id: string): Promise<void> {
    await this.commits.add({ op: 'remove', owner, app, id });
  }

  async postpone(owner: string, app: string, id: string, attempts: number, at: number) {
    await this.commits.add({ op: 'postpone', owner, app, id, attempts, at });
  }

  size(owner: string): Promise<number> {
    return Promise.resolve(this.sizes.get(owner) ?? 0);
  }

  adopt(from: string, to: string): Promise<number> {
    this.commits.flush();
    const moved = from === to ? 0 : this.moveAll.run(to, from).changes;
    if (moved > 0) {
      this.sizes.delete(from);
      this.sizes.set(to, (this.sizes.get(to) ?? 0) + moved);
    }
    return Promise.resolve(moved);
  }

  /** Commits what is pending; the database stays open (its opener closes it). */
  close(): void {
    this.commits.flush();
  }
}

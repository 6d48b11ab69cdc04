/**
 * The offline inbox in SQLite: the durable part of the embedded backend. Once `putOffline`
 * resolves, the message is committed to the database's fsynced WAL (see sqlite.ts). Writes of
 * one event-loop turn are committed together, so a burst costs one fsync.
 */
import type Database from 'better-sqlite3';
import type { OfflineInbox, OfflineLimits, StoredMessage } from '../offline-inbox.js';
import type { SqliteDb } from './sqlite.js';

interface Row {
  mid: string;
  sender: string;
  body: string;
  ts: number;
}

interface PendingPut {
  app: string;
  to: string;
  msg: StoredMessage;
  done: () => void;
  fail: (e: unknown) => void;
}

/** How often messages past their age are deleted (they are never listed meanwhile). */
const SWEEP_INTERVAL_MS = 60_000;

export class SqliteOfflineInbox implements OfflineInbox {
  private readonly insert: Database.Statement;
  private readonly evict: Database.Statement;
  private readonly select: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly expire: Database.Statement;
  private pending: PendingPut[] = [];
  /**
   * Receivers that may have stored messages (never misses one): most logins have none, and
   * they skip the query.
   */
  private readonly receivers = new Set<string>();
  private flushScheduled = false;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly db: SqliteDb,
    private readonly limits: OfflineLimits,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS offline_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      app TEXT NOT NULL, receiver TEXT NOT NULL, mid TEXT NOT NULL,
      sender TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL)`);
    db.exec(
      'CREATE INDEX IF NOT EXISTS offline_by_receiver ON offline_messages (app, receiver, id)',
    );
    this.insert = db.prepare(
      'INSERT INTO offline_messages (app, receiver, mid, sender, body, ts) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.evict = db.prepare(`DELETE FROM offline_messages WHERE app = ? AND receiver = ? AND id <=
      (SELECT id FROM offline_messages WHERE app = ? AND receiver = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.select = db.prepare(
      'SELECT mid, sender, body, ts FROM offline_messages WHERE app = ? AND receiver = ? AND ts >= ? ORDER BY id',
    );
    this.remove = db.prepare(
      'DELETE FROM offline_messages WHERE app = ? AND receiver = ? AND mid = ?',
    );
    this.expire = db.prepare('DELETE FROM offline_messages WHERE ts < ?');
    const stored = db.prepare('SELECT DISTINCT app, receiver FROM offline_messages');
    for (const r of stored.iterate() as IterableIterator<{ app: string; receiver: string }>)
      this.receivers.add(r.app + '\u0000' + r.receiver);
    this.sweep = setInterval(() => this.expireOld(Date.now()), SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  putOffline(app: string, to: string, msg: StoredMessage): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ app, to, msg, done, fail });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  listOffline(app: string, to: string): Promise<StoredMessage[]> {
    const key = app + '\u0000' + to;
    if (!this.receivers.has(key)) return Promise.resolve([]);
    const rows = this.select.all(app, to, Date.now() - this.limits.maxAgeMs) as Row[];
    if (rows.length === 0) this.receivers.delete(key);
    return Promise.resolve(
      rows.map((r) => ({ mid: r.mid, from: r.sender, m: JSON.parse(r.body), ts: r.ts })),
    );
  }

  deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const mid of mids) this.remove.run(app, to, mid);
    })();
    return Promise.resolve();
  }

  /** Drops messages past their age; called by the periodic sweep. */
  expireOld(now: number): number {
    return this.expire.run(now - this.limits.maxAgeMs).changes;
  }

  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          this.insert.run(p.app, p.to, p.msg.mid, p.msg.from, JSON.stringify(p.msg.m), p.msg.ts);
          this.evict.run(p.app, p.to, p.app, p.to, this.limits.maxPerReceiver);
        }
      })();
    } catch (e) {
      for (const p of batch) p.fail(e);
      return;
    }
    for (const p of batch) {
      this.receivers.add(p.app + '\u0000' + p.to);
      p.done();
    }
  }

  /** Stops the sweep and commits what is pending; the database stays open (its opener closes it). */
  close(): void {
    clearInterval(this.sweep);
    this.flush();
  }
}

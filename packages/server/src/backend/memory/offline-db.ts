/**
 * Offline messages in SQLite (better-sqlite3) under the data dir: the durable part of the
 * embedded backend. WAL journal with `synchronous = FULL`: once `put` resolves, the message is
 * in the fsynced WAL and survives a crash of the process or of the machine. Writes of one
 * event-loop turn are committed together, so a burst costs one fsync.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OfflineLimits, StoredMessage } from '../store.js';

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

export class OfflineDb {
  private readonly db: Database.Database;
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

  constructor(
    dataDir: string,
    private readonly limits: OfflineLimits,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'parley.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS offline_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      app TEXT NOT NULL, receiver TEXT NOT NULL, mid TEXT NOT NULL,
      sender TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL)`);
    this.db.exec(
      'CREATE INDEX IF NOT EXISTS offline_by_receiver ON offline_messages (app, receiver, id)',
    );
    this.insert = this.db.prepare(
      'INSERT INTO offline_messages (app, receiver, mid, sender, body, ts) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.evict = this.db
      .prepare(`DELETE FROM offline_messages WHERE app = ? AND receiver = ? AND id <=
      (SELECT id FROM offline_messages WHERE app = ? AND receiver = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.select = this.db.prepare(
      'SELECT mid, sender, body, ts FROM offline_messages WHERE app = ? AND receiver = ? AND ts >= ? ORDER BY id',
    );
    this.remove = this.db.prepare(
      'DELETE FROM offline_messages WHERE app = ? AND receiver = ? AND mid = ?',
    );
    this.expire = this.db.prepare('DELETE FROM offline_messages WHERE ts < ?');
    const stored = this.db.prepare('SELECT DISTINCT app, receiver FROM offline_messages');
    for (const r of stored.iterate() as IterableIterator<{ app: string; receiver: string }>)
      this.receivers.add(r.app + '\u0000' + r.receiver);
  }

  put(app: string, to: string, msg: StoredMessage): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ app, to, msg, done, fail });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  list(app: string, to: string): StoredMessage[] {
    const key = app + '\u0000' + to;
    if (!this.receivers.has(key)) return [];
    const rows = this.select.all(app, to, Date.now() - this.limits.maxAgeMs) as Row[];
    if (rows.length === 0) this.receivers.delete(key);
    return rows.map((r) => ({ mid: r.mid, from: r.sender, m: JSON.parse(r.body), ts: r.ts }));
  }

  delete(app: string, to: string, mids: readonly string[]): void {
    this.db.transaction(() => {
      for (const mid of mids) this.remove.run(app, to, mid);
    })();
  }

  /** Drops messages past their age; called by the store's periodic sweep. */
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

  close(): void {
    this.flush();
    this.db.close();
  }
}

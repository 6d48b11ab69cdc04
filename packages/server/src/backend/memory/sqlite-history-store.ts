/**
 * The message history in SQLite, beside the offline inbox in the embedded backend's database.
 * Appends of one event-loop turn commit together (one fsync); queries use an index per
 * direction (by sender, by receiver), each ordered by time.
 */
import type Database from 'better-sqlite3';
import type {
  HistoryFilter,
  HistoryLimits,
  HistoryMessage,
  HistoryPage,
  HistoryStore,
} from '../history-store.js';
import type { SqliteDb } from './sqlite.js';
import { TurnCommits } from './turn-commits.js';

interface Append {
  app: string;
  msg: HistoryMessage;
}

export class SqliteHistoryStore implements HistoryStore {
  private readonly commits: TurnCommits<Append>;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: SqliteDb,
    private readonly limits: HistoryLimits,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      app TEXT NOT NULL, mid TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL,
      kind TEXT NOT NULL, payload TEXT NOT NULL, ts INTEGER NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS history_by_src ON history (app, src, ts)');
    db.exec('CREATE INDEX IF NOT EXISTS history_by_dst ON history (app, dst, ts)');
    db.exec('CREATE INDEX IF NOT EXISTS history_by_app ON history (app, id)');
    const insert = db.prepare(
      'INSERT INTO history (app, mid, src, dst, kind, payload, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const evict = db.prepare(`DELETE FROM history WHERE app = ? AND id <=
      (SELECT id FROM history WHERE app = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    const expire = db.prepare('DELETE FROM history WHERE app = ? AND ts < ?');
    this.commits = new TurnCommits(db, ({ app, msg }) => {
      insert.run(app, msg.mid, msg.src, msg.dst, msg.kind, msg.payload, msg.ts);
      evict.run(app, app, limits.maxPerApp);
      expire.run(app, msg.ts - limits.maxAgeMs);
    });
  }

  append(app: string, msg: HistoryMessage): Promise<void> {
    return this.commits.add({ app, msg });
  }

  query(app: string, filter: HistoryFilter, page: HistoryPage): Promise<HistoryMessage[]> {
    const { where, args } = this.where(app, filter);
    const order = page.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT mid, src, dst, kind, payload, ts FROM history WHERE ${where}
      ORDER BY ts ${order}, id ${order} LIMIT ? OFFSET ?`;
    return Promise.resolve(
      this.statement(sql).all(...args, page.limit, page.offset) as HistoryMessage[],
    );
  }

  count(app: string, filter: HistoryFilter): Promise<number> {
    const { where, args } = this.where(app, filter);
    const row = this.statement(`SELECT COUNT(*) AS n FROM history WHERE ${where}`).get(...args);
    return Promise.resolve((row as { n: number }).n);
  }

  /** Commits what is pending; the database stays open (its opener closes it). */
  close(): void {
    this.commits.flush();
  }

  private where(app: string, f: HistoryFilter): { where: string; args: (string | number)[] } {
    const parts = ['app = ?'];
    const args: (string | number)[] = [app];
    if (f.source !== undefined) {
      parts.push('src = ?');
      args.push(f.source);
    }
    if (f.destination !== undefined) {
      parts.push('dst = ?');
      args.push(f.destination);
    }
    parts.push('ts >= ?', 'ts <= ?');
    args.push(f.startMs, f.endMs);
    return { where: parts.join(' AND '), args };
  }

  /** Prepared once per shape of query (there are three: by source, destination, or both). */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

/**
 * The embedded backend's SQLite database (better-sqlite3) under the data dir: what of its
 * state must survive a restart lives there. WAL journal with `synchronous = FULL`, so a
 * committed write is in the fsynced WAL and survives a crash of the process or of the machine.
 * Opened by the backend factory and passed to the stores that keep tables in it (the REST
 * event pull has a connection of its own: sqlite-event-log.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/** The database file under `dataDir`. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'parley.sqlite');
}

export function openSqlite(dataDir: string): SqliteDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(sqliteFile(dataDir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

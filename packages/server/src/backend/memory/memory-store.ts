import type { PeerState } from '@parley/protocol';
import type { OfflineLimits, Store, StoredMessage } from '../store.js';
import { OfflineDb } from './offline-db.js';

interface Holder {
  sessionId: string;
  state: Exclude<PeerState, 'OFFLINE'>;
}

/** The embedded Store: presence in memory, offline messages in SQLite under `dataDir`. */
export class MemoryStore implements Store {
  private readonly users = new Map<string, Holder>();
  private readonly bans = new Map<string, number>();
  private readonly offline: OfflineDb;
  private readonly sweep: NodeJS.Timeout;

  constructor(dataDir: string, limits: OfflineLimits) {
    this.offline = new OfflineDb(dataDir, limits);
    this.sweep = setInterval(() => this.offline.expireOld(Date.now()), 60_000);
    this.sweep.unref();
  }

  claimUser(app: string, uid: string, sessionId: string): Promise<string | undefined> {
    const key = app + '\u0000' + uid;
    const prev = this.users.get(key);
    this.users.set(key, { sessionId, state: 'ONLINE' });
    return Promise.resolve(prev && prev.sessionId !== sessionId ? prev.sessionId : undefined);
  }

  releaseUser(app: string, uid: string, sessionId: string): Promise<boolean> {
    const key = app + '\u0000' + uid;
    if (this.users.get(key)?.sessionId !== sessionId) return Promise.resolve(false);
    this.users.delete(key);
    return Promise.resolve(true);
  }

  setPresence(app: string, uid: string, state: Exclude<PeerState, 'OFFLINE'>): Promise<void> {
    const holder = this.users.get(app + '\u0000' + uid);
    if (holder) holder.state = state;
    return Promise.resolve();
  }

  getPresence(app: string, uids: readonly string[]): Promise<PeerState[]> {
    return Promise.resolve(uids.map((u) => this.users.get(app + '\u0000' + u)?.state ?? 'OFFLINE'));
  }

  putOffline(app: string, to: string, msg: StoredMessage): Promise<void> {
    return this.offline.put(app, to, msg);
  }

  listOffline(app: string, to: string): Promise<StoredMessage[]> {
    return Promise.resolve(this.offline.list(app, to));
  }

  deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void> {
    this.offline.delete(app, to, mids);
    return Promise.resolve();
  }

  setBan(app: string, uid: string, untilMs: number): Promise<void> {
    if (untilMs > 0) this.bans.set(app + '\u0000' + uid, untilMs);
    else this.bans.delete(app + '\u0000' + uid);
    return Promise.resolve();
  }

  getBan(app: string, uid: string, nowMs: number): Promise<number> {
    const key = app + '\u0000' + uid;
    const until = this.bans.get(key) ?? 0;
    if (until !== 0 && until <= nowMs) {
      this.bans.delete(key);
      return Promise.resolve(0);
    }
    return Promise.resolve(until);
  }

  // One process: no other node can die under us, so there is nothing to record.
  registerSession(): Promise<void> {
    return Promise.resolve();
  }

  unregisterSession(): Promise<void> {
    return Promise.resolve();
  }

  nodeAlive(): Promise<void> {
    return Promise.resolve();
  }

  lapsedNodes(): Promise<string[]> {
    return Promise.resolve([]);
  }

  takeSessions(): Promise<{ app: string; uid: string; sid: string }[]> {
    return Promise.resolve([]);
  }

  close(): Promise<void> {
    clearInterval(this.sweep);
    this.offline.close();
    return Promise.resolve();
  }
}

import type { PeerState } from '@parley/protocol';
import type { OfflineLimits, Store, StoredMessage, UserHolder } from '../store.js';
import { OfflineDb } from './offline-db.js';

interface Holder extends UserHolder {
  state: Exclude<PeerState, 'OFFLINE'>;
}

/** The embedded Store: presence in memory, offline messages in SQLite under `dataDir`. */
export class MemoryStore implements Store {
  /** app → uid → holder: no key string per user. */
  private readonly users = new Map<string, Map<string, Holder>>();
  private readonly bans = new Map<string, number>();
  private readonly aliveNodes = new Set<string>();
  private readonly offline: OfflineDb;
  private readonly sweep: NodeJS.Timeout;

  constructor(dataDir: string, limits: OfflineLimits) {
    this.offline = new OfflineDb(dataDir, limits);
    this.sweep = setInterval(() => this.offline.expireOld(Date.now()), 60_000);
    this.sweep.unref();
  }

  private holder(app: string, uid: string): Holder | undefined {
    return this.users.get(app)?.get(uid);
  }

  claimUser(app: string, uid: string, holder: UserHolder): Promise<UserHolder | undefined> {
    let byUid = this.users.get(app);
    if (!byUid) this.users.set(app, (byUid = new Map()));
    const prev = byUid.get(uid);
    byUid.set(uid, { sid: holder.sid, node: holder.node, state: 'ONLINE' });
    return Promise.resolve(
      prev && prev.sid !== holder.sid ? { sid: prev.sid, node: prev.node } : undefined,
    );
  }

  locateUser(app: string, uid: string): Promise<UserHolder | undefined> {
    const h = this.holder(app, uid);
    return Promise.resolve(h ? { sid: h.sid, node: h.node } : undefined);
  }

  moveUser(app: string, uid: string, holder: UserHolder, to: string): Promise<boolean> {
    const h = this.holder(app, uid);
    if (h?.sid !== holder.sid || h.node !== holder.node) return Promise.resolve(false);
    h.node = to;
    return Promise.resolve(true);
  }

  releaseUser(app: string, uid: string, holder: UserHolder): Promise<boolean> {
    const byUid = this.users.get(app);
    const h = byUid?.get(uid);
    if (!byUid || h?.sid !== holder.sid || h.node !== holder.node) return Promise.resolve(false);
    byUid.delete(uid);
    if (byUid.size === 0) this.users.delete(app);
    return Promise.resolve(true);
  }

  setPresence(app: string, uid: string, state: Exclude<PeerState, 'OFFLINE'>): Promise<void> {
    const holder = this.holder(app, uid);
    if (holder) holder.state = state;
    return Promise.resolve();
  }

  getPresence(app: string, uids: readonly string[]): Promise<PeerState[]> {
    const byUid = this.users.get(app);
    return Promise.resolve(uids.map((u) => byUid?.get(u)?.state ?? 'OFFLINE'));
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

  nodeAlive(node: string): Promise<boolean> {
    const was = this.aliveNodes.has(node);
    this.aliveNodes.add(node);
    return Promise.resolve(was);
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

import type { PeerState } from '@parley/protocol';
import type { UserHolder, UserRegistry } from '../user-registry.js';

interface Holder extends UserHolder {
  state: Exclude<PeerState, 'OFFLINE'>;
}

/** Who holds each user, and presence, in memory: one process, so every call is atomic. */
export class MemoryUserRegistry implements UserRegistry {
  /** app → uid → holder: no key string per user. */
  private readonly users = new Map<string, Map<string, Holder>>();

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
}

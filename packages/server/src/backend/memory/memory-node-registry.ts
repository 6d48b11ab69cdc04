import { systemClock, type Clock } from '@parley/protocol';
import type { NodeRegistry, NodeSession } from '../node-registry.js';

/**
 * The node registry in memory. The embedded backend is one process, one node: nothing can die
 * under it, so nothing here is ever reaped in practice. It keeps the same records as the Redis
 * one all the same, so the one contract holds (a stall past the ttl makes `nodeAlive` answer
 * false, and the node registers its sessions again, which changes nothing here). Time comes
 * from `clock`, so tests let a mark lapse by advancing it.
 */
export class MemoryNodeRegistry implements NodeRegistry {
  /** node → when its mark lapses (ms of `clock`). */
  private readonly marks = new Map<string, number>();
  /** Nodes that marked themselves or registered a session, and were not taken since. */
  private readonly known = new Set<string>();
  /**
   * node → app → sid → uid. Keyed by session id (a session id names one session), so a session
   * costs one map entry and no string of its own: one is registered per logged-in user.
   */
  private readonly sessions = new Map<string, Map<string, Map<string, string>>>();

  constructor(private readonly clock: Clock = systemClock) {}

  private alive(node: string): boolean {
    return (this.marks.get(node) ?? -Infinity) > this.clock.now();
  }

  registerSession(node: string, app: string, uid: string, sid: string): Promise<void> {
    this.known.add(node);
    let byApp = this.sessions.get(node);
    if (!byApp) this.sessions.set(node, (byApp = new Map()));
    let bySid = byApp.get(app);
    if (!bySid) byApp.set(app, (bySid = new Map()));
    bySid.set(sid, uid);
    return Promise.resolve();
  }

  unregisterSession(node: string, app: string, uid: string, sid: string): Promise<void> {
    const byApp = this.sessions.get(node);
    const bySid = byApp?.get(app);
    if (byApp && bySid?.get(sid) === uid) {
      bySid.delete(sid);
      if (bySid.size === 0) byApp.delete(app);
      if (byApp.size === 0) this.sessions.delete(node);
    }
    return Promise.resolve();
  }

  nodeAlive(node: string, ttlMs: number): Promise<boolean> {
    const was = this.alive(node);
    this.marks.set(node, this.clock.now() + ttlMs);
    this.known.add(node);
    return Promise.resolve(was);
  }

  lapsedNodes(): Promise<string[]> {
    return Promise.resolve([...this.known].filter((n) => !this.alive(n)));
  }

  takeSessions(node: string): Promise<NodeSession[]> {
    if (this.alive(node)) return Promise.resolve([]);
    const out: NodeSession[] = [];
    for (const [app, bySid] of this.sessions.get(node) ?? [])
      for (const [sid, uid] of bySid) out.push({ app, uid, sid });
    this.sessions.delete(node);
    this.marks.delete(node);
    this.known.delete(node);
    return Promise.resolve(out);
  }
}

/**
 * Reaper: this node's liveness in the node registry, and the end of the sessions of nodes that died.
 * Each node refreshes its mark every heartbeat; once another node has been silent for the
 * resume window, its users go offline and leave their channels (each user once, by whichever
 * node takes the dead node's sessions first). A node the registry forgot (a Redis restarted
 * without persistence, or a stall past its liveness) registers its live sessions again.
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import type { ServerConfig } from './config.js';
import type { EventStream } from './events.js';
import type { Hub } from './hub.js';
import type { Logger } from './log.js';
import type { Presence } from './services/presence.js';
import type { Sessions } from './sessions.js';

export class Reaper {
  private timer: TimerHandle | undefined;
  /** Lapsed nodes and when this node first saw them lapsed. */
  private readonly lapsedSince = new Map<string, number>();

  constructor(
    private readonly config: ServerConfig,
    private readonly node: string,
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly sessions: Sessions,
    private readonly presence: Presence,
    private readonly events: EventStream,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** How long this node counts as alive after each heartbeat. */
  private get liveTtlMs(): number {
    return 3 * this.config.heartbeatMs;
  }

  async start(): Promise<void> {
    await this.backend.nodes.nodeAlive(this.node, this.liveTtlMs);
    this.timer = this.clock.setInterval(() => {
      this.reap(this.clock.now()).catch((e) => this.sessions.fail(e));
    }, this.config.heartbeatMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.clock.clear(this.timer);
  }

  private async reap(now: number): Promise<void> {
    const { nodes } = this.backend;
    if (!(await nodes.nodeAlive(this.node, this.liveTtlMs))) await this.reassert();
    const lapsed = new Set(await nodes.lapsedNodes());
    for (const n of this.lapsedSince.keys()) if (!lapsed.has(n)) this.lapsedSince.delete(n);
    for (const n of lapsed) {
      if (n === this.node) continue;
      let since = this.lapsedSince.get(n);
      if (since === undefined) {
        since = now;
        this.lapsedSince.set(n, now);
        // Silent for 3 heartbeats: what waits on its answers goes elsewhere now, not once the
        // resume window of its users has passed.
        for (const svc of this.sessions.all)
          await svc.nodeSilent?.(n).catch((e) => this.sessions.fail(e));
      }
      if (now - since < this.config.resumeWindowMs) continue;
      this.lapsedSince.delete(n);
      await this.endSessionsOf(n);
    }
  }

  /** Ends what a dead node's sessions left behind; each user goes offline once. */
  private async endSessionsOf(dead: string): Promise<void> {
    const { users, nodes } = this.backend;
    let ended = 0;
    for (const s of await nodes.takeSessions(dead)) {
      if (!(await users.releaseUser(s.app, s.uid, { sid: s.sid, node: dead }))) continue;
      for (const svc of this.sessions.all)
        await svc.endedElsewhere?.(s.app, s.uid).catch((e) => this.sessions.fail(e));
      await this.presence.announce(s.app, s.uid, 'OFFLINE');
      this.log.info({ node: dead, app: s.app, uid: s.uid }, 'ended a session of a dead node');
      this.events.emit({
        type: 'logout',
        app: s.app,
        uid: s.uid,
        sid: s.sid,
        node: dead,
        reason: 'timeout',
        ts: this.clock.now(),
      });
      ended++;
    }
    this.events.emit({
      type: 'node.down',
      app: '',
      node: dead,
      sessions: ended,
      ts: this.clock.now(),
    });
  }

  /**
   * The Store forgot this node: registers its live sessions again, so users stay reachable,
   * online and in their channels. A user held elsewhere meanwhile is let go here.
   */
  private async reassert(): Promise<void> {
    const { users, nodes } = this.backend;
    let count = 0;
    for (const s of [...this.hub.all()]) {
      if (s.ended || this.sessions.handingOff.has(s.sid)) continue;
      const holder = await users.locateUser(s.app, s.uid);
      if (s.ended) continue;
      if (holder && (holder.sid !== s.sid || holder.node !== this.node)) {
        if (holder.sid !== s.sid) this.sessions.kickLocal(s, 'REMOTE_LOGIN', true);
        continue;
      }
      if (!holder) {
        // Released meanwhile (another node took this one for dead): the user is back.
        const replaced = await users.claimUser(s.app, s.uid, { sid: s.sid, node: this.node });
        if (replaced) {
          if (!s.ended) this.sessions.kickLocal(s, 'REMOTE_LOGIN', true);
          continue;
        }
        await this.presence.announce(s.app, s.uid, s.presence);
      }
      await nodes.registerSession(this.node, s.app, s.uid, s.sid);
      for (const svc of this.sessions.all)
        await svc.reasserted?.(s).catch((e) => this.sessions.fail(e));
      count++;
    }
    if (count > 0)
      this.log.warn(
        { sessions: count },
        'the store had lost this node: registered its sessions again',
      );
  }
}

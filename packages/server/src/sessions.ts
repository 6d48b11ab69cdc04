/**
 * Sessions: the life of the sessions on this node once they exist — packets that keep them
 * alive, a socket that drops, kicks, bans, and the end of a session, with every service hearing
 * of it. How a session starts is `login.ts`; how it moves between nodes `session-moves.ts`; its
 * timers `sweep.ts`; dead nodes `reaper.ts`.
 */
import { CloseCode, type Clock, type KickReason } from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import type { ServerConfig } from './config.js';
import type { EventStream, LogoutReason } from './events.js';
import type { Conn, Hub } from './hub.js';
import type { Logger } from './log.js';
import type { Peers } from './services/peers.js';
import type { Presence } from './services/presence.js';
import type { EndReason, SessionService, UserEvent } from './service.js';
import type { Session } from './session.js';
import type { UserRouter } from './user-router.js';

/** Ends a user's session wherever it is (routed to the user). */
export interface UserKick extends UserEvent {
  t: 'kick';
  why: KickReason;
}

const KICK_REASON: Readonly<Record<KickReason, LogoutReason>> = {
  REMOTE_LOGIN: 'remote-login',
  BANNED_BY_SERVER: 'banned',
  TOKEN_EXPIRED: 'expired',
};

export class Sessions {
  private readonly services: SessionService[] = [];
  private readonly apps = new Map<string, string>();
  /** Sessions of this node being handed to another: not resumed, ended or given twice. */
  readonly handingOff = new Set<string>();

  constructor(
    private readonly config: ServerConfig,
    readonly node: string,
    private readonly backend: Backend,
    readonly hub: Hub,
    private readonly router: UserRouter,
    private readonly presence: Presence,
    private readonly peers: Peers,
    private readonly events: EventStream,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    router.handle('kick', (_app, _uid, holder, e) => {
      if (holder) this.kickLocal(holder, (e as UserKick).why);
    });
  }

  /** Adds a service: its user events and the lifecycle moments it hears about. */
  register(service: SessionService): void {
    this.services.push(service);
    if (service.onUserEvent)
      for (const t of service.userEvents ?? [])
        this.router.handle(t, (app, uid, holder, e) => service.onUserEvent!(app, uid, holder, e));
  }

  /** The services, in registration order, for the lifecycle moments other files run. */
  get all(): readonly SessionService[] {
    return this.services;
  }

  /**
   * One copy of each app id for all its sessions (each login frame parses a new one). Bounded,
   * so an open server fed made-up app ids keeps no more than `maxInternedApps`.
   */
  internApp(app: string): string {
    const known = this.apps.get(app);
    if (known !== undefined) return known;
    if (this.apps.size < this.config.maxInternedApps) this.apps.set(app, app);
    return app;
  }

  /** A packet arrived: the user is alive. */
  touch(session: Session, now: number): void {
    session.heard(now);
    if (session.presence === 'UNREACHABLE') this.setPresence(session, 'ONLINE');
  }

  /** The socket closed; the session waits for a resume until its window ends. */
  detach(session: Session, conn: Conn): void {
    if (session.conn !== conn) return;
    session.conn = null;
    void this.peers.detached(session).catch((e) => this.fail(e));
  }

  /**
   * Ends a session. Unless a newer session holds the user (`replaced`), the user goes offline.
   * `reason` is what the logout event says.
   */
  async end(
    session: Session,
    why: EndReason,
    reason: LogoutReason = endReason(why),
  ): Promise<void> {
    if (session.ended) return;
    session.ended = true;
    // Flagged undelivered messages go to the offline store first (the next login lists it).
    if (why !== 'replaced') await this.keepUndelivered(session, why);
    this.hub.remove(session);
    for (const r of session.takeReplies()) await this.peers.settle(r, false);
    await this.presence.dropAll(session);
    // One failing service (a store error, a lost compare-and-set) does not keep the others,
    // nor the release below, from running.
    for (const s of this.services) await s.ended?.(session, why).catch((e) => this.fail(e));
    await this.backend.nodes.unregisterSession(this.node, session.app, session.uid, session.sid);
    const holder = { sid: session.sid, node: this.node };
    const released =
      why !== 'replaced' &&
      (await this.backend.users.releaseUser(session.app, session.uid, holder));
    if (released) await this.presence.announce(session.app, session.uid, 'OFFLINE');
    this.events.emit({
      type: 'logout',
      app: session.app,
      uid: session.uid,
      sid: session.sid,
      node: this.node,
      reason,
      ts: this.clock.now(),
    });
  }

  /** The client stopped reading (its socket buffer passed the limit): a drop; it may resume. */
  overflowed(session: Session, conn: Conn): void {
    const { app, uid, sid } = session;
    const limit = this.config.maxSocketBufferBytes;
    this.log.warn({ app, uid, sid, limit }, 'socket buffer full: connection closed (4413)');
    this.detach(session, conn);
  }

  /** Undelivered peer messages dropped at a session's end (not flagged for offline storage). */
  droppedMessages = 0;

  private async keepUndelivered(session: Session, why: EndReason): Promise<void> {
    const dropped = await this.peers.ending(session).catch((e: unknown) => {
      this.fail(e);
      return 0;
    });
    if (dropped === 0) return;
    this.droppedMessages += dropped;
    const { app, uid, sid } = session;
    this.log.warn(
      { app, uid, sid, why, dropped },
      'session ended: undelivered peer messages dropped',
    );
  }

  /** Tells the client why, closes its socket, ends the session. */
  kickLocal(session: Session, why: KickReason, replaced = false): void {
    this.hub.tell(session, { t: 'kick', why });
    this.hub.disconnect(session, CloseCode.KICKED, why);
    void this.end(session, replaced ? 'replaced' : 'kicked', KICK_REASON[why]).catch((e) =>
      this.fail(e),
    );
  }

  /** A session of this node, named by id, was replaced by a login elsewhere. */
  replacedElsewhere(sid: string, why: KickReason): void {
    const s = this.hub.bySessionId(sid);
    if (s) this.kickLocal(s, why, true);
  }

  /** Bans a user: its session, on whichever node, ends with BANNED_BY_SERVER. */
  async ban(app: string, uid: string, untilMs: number): Promise<boolean> {
    await this.backend.bans.setBan(app, uid, untilMs);
    const kick: UserKick = { t: 'kick', why: 'BANNED_BY_SERVER' };
    const kicked = untilMs > 0 && (await this.router.toUser(app, uid, kick)) > 0;
    this.events.emit({ type: 'ban', app, uid, untilMs, kicked, ts: this.clock.now() });
    return kicked;
  }

  /** Ends a user's session, on whichever node, with BANNED_BY_SERVER, without banning it. */
  async kick(app: string, uid: string): Promise<boolean> {
    const kick: UserKick = { t: 'kick', why: 'BANNED_BY_SERVER' };
    const kicked = (await this.router.toUser(app, uid, kick)) > 0;
    this.log.info({ app, uid, kicked }, kicked ? 'kicked' : 'kick: no session');
    return kicked;
  }

  setPresence(session: Session, state: 'ONLINE' | 'UNREACHABLE'): void {
    session.presence = state;
    void this.presence.announce(session.app, session.uid, state).catch((e) => this.fail(e));
  }

  fail(e: unknown): void {
    this.log.error({ err: e }, 'session task failed');
  }
}

function endReason(why: EndReason): LogoutReason {
  if (why === 'expired') return 'timeout';
  if (why === 'replaced') return 'remote-login';
  return why === 'logout' ? 'logout' : 'banned';
}

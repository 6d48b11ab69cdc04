/**
 * Login: how a socket gets its session — a resume of the session it names (here, or moved over
 * from the node holding it), or a fresh one. Whatever the path, the session takes the socket in
 * `goLive`: the reply goes out first, then every frame still unacknowledged, in order.
 */
import {
  CloseCode,
  LoginError,
  type Clock,
  type KickReason,
  type LoginReq,
  type LoginResult,
} from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import type { ServerConfig } from './config.js';
import type { EventStream } from './events.js';
import type { Conn, Hub } from './hub.js';
import type { Logger } from './log.js';
import type { Auth } from './services/auth.js';
import type { Peers } from './services/peers.js';
import type { Presence } from './services/presence.js';
import { op } from './service.js';
import { SessionIds } from './session-ids.js';
import type { SessionMoves } from './session-moves.js';
import { Session } from './session.js';
import type { Sessions } from './sessions.js';
import { nodeTopic } from './topics.js';

/** The codes a failed login answers. */
export const LOGIN_CODES = op(LoginError.TIMEOUT, LoginError.UNKNOWN);

/** One login request on its way: its socket, its frame, what its token allows, its moment. */
export interface LoginAttempt {
  conn: Conn;
  req: LoginReq;
  /** Token expiry, ms since the epoch; 0 = never. */
  expMs: number;
  now: number;
}

/** Ends the session `sid` on the node holding it: the same user logged in elsewhere. */
export interface KickEvent {
  t: 'kick';
  sid: string;
  why: KickReason;
}

export class Logins {
  private readonly sessionIds: SessionIds;
  private moves: SessionMoves | undefined;

  constructor(
    private readonly config: ServerConfig,
    private readonly node: string,
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly sessions: Sessions,
    private readonly auth: Auth,
    private readonly presence: Presence,
    private readonly peers: Peers,
    private readonly events: EventStream,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.sessionIds = new SessionIds(node);
  }

  /** Lets resumes of sessions held by other nodes move them here. */
  setMoves(moves: SessionMoves): void {
    this.moves = moves;
  }

  /**
   * Logs a socket in: resumes its session if it names one that still lives, else starts one.
   * The session takes the socket right before the login reply goes out, so requests the client
   * sends on receiving it already find their session.
   */
  async login(conn: Conn, req: LoginReq): Promise<Session | undefined> {
    const now = this.clock.now();
    const auth = this.auth.check(req.a, req.u, req.k, now);
    if (!auth.ok) return this.refuse(conn, req, auth.code, auth.message, now);
    const bannedUntil = await this.backend.bans.getBan(req.a, req.u, now);
    if (bannedUntil > 0)
      return this.refuse(
        conn,
        req,
        LoginError.REJECTED,
        `uid: "${req.u}" is banned until ${new Date(bannedUntil).toISOString()}`,
        now,
      );
    const login: LoginAttempt = { conn, req, expMs: auth.expMs, now };
    if (req.r) {
      const inFlight = this.moves?.inFlight(req.r.sid);
      if (inFlight) await inFlight;
      const old = this.hub.bySessionId(req.r.sid);
      if (
        old &&
        !old.ended &&
        !this.sessions.handingOff.has(old.sid) &&
        old.app === req.a &&
        old.uid === req.u
      )
        return this.resume(old, login);
      if (!old && this.moves) {
        const moved = await this.moves.adopt(login);
        if (moved !== undefined) return moved ?? undefined;
      }
    }
    return this.fresh(login);
  }

  private refuse(conn: Conn, req: LoginReq, c: number, m: string, now: number): undefined {
    this.hub.tellConn(conn, { t: 'err', i: req.i, c, m });
    this.events.emit({ type: 'login.refused', app: req.a, uid: req.u, code: c, ts: now });
    return undefined;
  }

  private resume(session: Session, login: LoginAttempt): Session {
    const { req, expMs, now } = login;
    if (session.conn && session.conn !== login.conn) this.hub.drop(session);
    session.heard(now);
    session.tokenExpMs = expMs;
    session.willExpireSent = false;
    this.goLive(session, login, this.result(session, true, now));
    const cursor = req.r!.c ?? {};
    for (const s of this.sessions.all) s.resumed?.(session, cursor);
    this.log.debug({ app: session.app, uid: session.uid, sid: session.sid }, 'session resumed');
    return session;
  }

  /** Starts a fresh session for the login. */
  async fresh(login: LoginAttempt): Promise<Session | undefined> {
    const { req, expMs, now } = login;
    const sid = this.sessionIds.next();
    // No socket until the login reply: what is pushed meanwhile waits in the outbox and follows
    // the reply (a frame before it would meet the sequence of the client's previous session).
    const app = this.sessions.internApp(req.a);
    const session = new Session(sid, app, req.u, expMs, this.config, now);
    const local = this.hub.byUserId(req.a, req.u);
    this.peers.beginLanding(session);
    try {
      return await this.start(session, login, local);
    } finally {
      await this.peers.land(session); // what waited for the user while its node was dead
    }
  }

  private async start(
    session: Session,
    login: LoginAttempt,
    local: Session | undefined,
  ): Promise<Session | undefined> {
    const { conn, req, now } = login;
    const { sid, app } = session;
    const result = this.result(session, false, now);
    this.hub.add(session);
    const previous = await this.backend.users.claimUser(req.a, req.u, { sid, node: this.node });
    await this.backend.nodes.registerSession(this.node, req.a, req.u, sid);
    if (local && !local.ended) {
      // The same user logged in again on this node: the older session is aborted, and the
      // messages it never delivered move to the new one.
      for (const m of local.undeliveredMessages()) this.hub.push(session, m.frame, m.extra);
      this.sessions.kickLocal(local, 'REMOTE_LOGIN', true);
    } else if (previous) {
      const kick: KickEvent = { t: 'kick', sid: previous.sid, why: 'REMOTE_LOGIN' };
      const heard = await this.backend.broker.publish(nodeTopic(previous.node), kick);
      // Nobody heard: that node died, and what the user had there follows it here.
      if (heard === 0)
        for (const s of this.sessions.all)
          await s.replacedDead?.(session, previous, result).catch((e) => this.sessions.fail(e));
    }
    if (!previous) await this.presence.announce(req.a, req.u, 'ONLINE');
    if (session.ended) return this.replacedMeanwhile(conn); // a later login kicked it already
    this.goLive(session, login, result);
    this.events.emit({ type: 'login', app, uid: req.u, sid, node: this.node, ts: now });
    await this.peers.deliverStored(session);
    // Most services have no `started`: awaiting their undefined cost a microtask each.
    for (const s of this.sessions.all) {
      const started = s.started?.(session);
      if (started) await started;
    }
    this.log.debug({ app: req.a, uid: req.u, sid }, 'session started');
    return session;
  }

  /**
   * The login's session takes its socket: what the client acknowledged with a resume is
   * settled, the reply goes out, then every frame still unacknowledged, in order. Nothing is
   * written to the socket before the reply (see `fresh`).
   */
  goLive(session: Session, login: LoginAttempt, result: LoginResult): void {
    if (login.req.r && result.resumed) {
      const acked = session.ack(login.req.r.s);
      void this.peers
        .acknowledged(session, acked.offlineMids, acked.replies)
        .catch((e) => this.sessions.fail(e));
    }
    this.hub.attach(session, login.conn);
    this.hub.tell(session, { t: 'ok', i: login.req.i, r: result });
    this.hub.replay(session);
    if (session.presence === 'UNREACHABLE') this.sessions.setPresence(session, 'ONLINE');
  }

  result(session: Session, resumed: boolean, now: number): LoginResult {
    return {
      sid: session.sid,
      resumed,
      ts: now,
      exp: session.tokenExpMs,
      hb: this.config.heartbeatMs,
    };
  }

  /** The login's session was replaced by a later login before its reply: the client hears why. */
  replacedMeanwhile(conn: Conn): undefined {
    this.hub.tellConn(conn, { t: 'kick', why: 'REMOTE_LOGIN' });
    this.hub.disconnectConn(conn, CloseCode.KICKED, 'REMOTE_LOGIN');
    return undefined;
  }
}

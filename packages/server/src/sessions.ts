/**
 * Session lifecycle on one node: fresh login, resume, remote login, logout, the resume window,
 * UNREACHABLE after silence, token expiry. One sweep timer serves every session; nothing is
 * scheduled per session or per message.
 */
import type { WebSocket } from 'ws';
import {
  CloseCode,
  LoginError,
  type KickReason,
  type LoginReq,
  type LoginResult,
} from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import type { ServerConfig } from './config.js';
import { Hub } from './hub.js';
import type { Logger } from './log.js';
import type { Auth } from './services/auth.js';
import type { PeerDelivery, Peers, ReceiptEvent } from './services/peers.js';
import type { Presence } from './services/presence.js';
import { Handoffs, type TakeReply, type TakeRequest } from './handoff.js';
import { SessionIds } from './session-ids.js';
import { Session, type SessionSnapshot } from './session.js';
import type { EndReason, SessionService, UserEvent } from './service.js';
import { nodeTopic } from './topics.js';
import { UserRouter, type UserEnvelope } from './user-router.js';

/** Ends a user's session wherever it is (routed to the user). */
interface UserKick {
  t: 'kick';
  why: KickReason;
}

interface KickEvent {
  t: 'kick';
  sid: string;
  why: KickReason;
}

/** How long a node waits for another to hand over a session before starting a fresh one. */
const HANDOFF_TIMEOUT_MS = 2000;

const MAX_INTERNED_APPS = 1000;

/** One login request on its way: its socket, its frame, what its token allows, its moment. */
interface LoginAttempt {
  ws: WebSocket;
  req: LoginReq;
  /** Token expiry, ms since the epoch; 0 = never. */
  expMs: number;
  now: number;
  /** Called with the session right before the login reply goes out. */
  attach: (s: Session) => void;
}

/** What arrives on this node's inbox topic. */
type NodeEvent = ReceiptEvent | KickEvent | UserEnvelope | TakeRequest | TakeReply;

export class Sessions {
  readonly hub = new Hub();
  /** Sends events to users, on whichever node holds them. */
  readonly router: UserRouter;
  private readonly handoffs: Handoffs;
  private readonly sessionIds: SessionIds;
  private readonly apps = new Map<string, string>();
  /** Users whose session is on its way here from another node: their events wait. */
  private readonly arriving = new Map<string, UserEnvelope[]>();
  /** Sessions being taken over from another node, by session id: a second login waits. */
  private readonly adopting = new Map<string, Promise<unknown>>();
  /** Sessions of this node being handed to another: not resumed, ended or given twice. */
  private readonly handingOff = new Set<string>();
  private readonly services: SessionService[] = [];
  private readonly byOp = new Map<string, SessionService>();
  private readonly byUserEvent = new Map<string, SessionService>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private reaperTimer: NodeJS.Timeout | undefined;
  /** Lapsed nodes and when this node first saw them lapsed. */
  private readonly lapsedSince = new Map<string, number>();

  constructor(
    private readonly config: ServerConfig,
    readonly node: string,
    private readonly backend: Backend,
    private readonly auth: Auth,
    private readonly presence: Presence,
    private readonly peers: Peers,
    private readonly log: Logger,
  ) {
    this.router = new UserRouter(backend, node, (env) => this.toLocalUser(env));
    this.handoffs = new Handoffs(backend.broker, node, HANDOFF_TIMEOUT_MS);
    this.sessionIds = new SessionIds(node);
  }

  /** Adds a feature service: its requests, user events and lifecycle hooks. */
  register(service: SessionService): void {
    this.services.push(service);
    for (const op of service.ops) this.byOp.set(op, service);
    for (const t of service.userEvents ?? []) this.byUserEvent.set(t, service);
  }

  /** The service answering requests of type `op`, if any. */
  serviceFor(op: string): SessionService | undefined {
    return this.byOp.get(op);
  }

  async start(): Promise<void> {
    this.peers.setLocalRoutes({
      user: (app, uid) => this.hub.byUserId(app, uid),
      receipt: (e) => this.onNodeEvent(e),
      route: (app, uid, d) => this.router.toUser(app, uid, d),
    });
    this.reaperTimer = setInterval(() => {
      this.reap(Date.now()).catch((e) => this.fail(e));
    }, this.config.heartbeatMs);
    this.reaperTimer.unref();
    await this.backend.nodes.nodeAlive(this.node, this.liveTtlMs);
    await this.backend.broker.subscribe(nodeTopic(this.node), (p) => {
      // From other nodes (maybe of another version): checked, and never thrown into the broker.
      if (!isNodeEvent(p)) {
        this.log.warn({ event: p }, 'ignored a malformed node event');
        return;
      }
      try {
        this.onNodeEvent(p);
      } catch (err) {
        this.fail(err);
      }
    });
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), this.config.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    clearInterval(this.reaperTimer);
    clearInterval(this.sweepTimer);
  }

  /** Logs a socket in: resumes its session if it names one that still lives, else starts one. */
  /**
   * Logs a socket in. `attach` is called with the session right before the login reply goes
   * out, so requests the client sends on receiving it already find their session.
   */
  async login(
    ws: WebSocket,
    req: LoginReq,
    attach: (s: Session) => void,
  ): Promise<Session | undefined> {
    const now = Date.now();
    const auth = this.auth.check(req.a, req.u, req.k, now);
    if (!auth.ok) {
      sendErr(ws, req.i, auth.code, auth.message);
      return undefined;
    }
    const bannedUntil = await this.backend.bans.getBan(req.a, req.u, now);
    if (bannedUntil > 0) {
      sendErr(
        ws,
        req.i,
        LoginError.REJECTED,
        `uid: "${req.u}" is banned until ${new Date(bannedUntil).toISOString()}`,
      );
      return undefined;
    }
    const login: LoginAttempt = { ws, req, expMs: auth.expMs, now, attach };
    if (req.r) {
      const inFlight = this.adopting.get(req.r.sid);
      if (inFlight) await inFlight.catch(() => undefined);
      const old = this.hub.bySessionId(req.r.sid);
      if (
        old &&
        !old.ended &&
        !this.handingOff.has(old.sid) &&
        old.app === req.a &&
        old.uid === req.u
      )
        return this.resume(old, login);
      if (!old) {
        const moved = await this.adopt(login);
        if (moved !== undefined) return moved ?? undefined;
      }
    }
    return this.fresh(login);
  }

  private resume(session: Session, login: LoginAttempt): Session {
    const { ws, req, expMs, now } = login;
    if (session.ws && session.ws !== ws) session.ws.terminate();
    session.lastRxMs = now;
    session.tokenExpMs = expMs;
    session.willExpireSent = false;
    this.goLive(session, login, this.result(session, true, now));
    const cursor = req.r!.c ?? {};
    for (const s of this.services) s.resumed?.(session, cursor);
    this.log.debug({ app: session.app, uid: session.uid, sid: session.sid }, 'session resumed');
    return session;
  }

  /**
   * The client resumes a session another node holds: takes it over from there (see handoff.ts).
   * Answers undefined when no other node holds it; a fresh session when the holder is gone; null
   * when the login was answered otherwise (replaced by a later login meanwhile).
   */
  private adopt(login: LoginAttempt): Promise<Session | null | undefined> {
    // Registered before the first await, so a second login naming the session waits for it.
    const sid = login.req.r!.sid;
    const run = this.takeOver(login);
    this.adopting.set(sid, run);
    return run.finally(() => {
      if (this.adopting.get(sid) === run) this.adopting.delete(sid);
    });
  }

  private async takeOver(login: LoginAttempt): Promise<Session | null | undefined> {
    const { req } = login;
    const r = req.r!;
    const holder = await this.backend.users.locateUser(req.a, req.u);
    if (!holder || holder.sid !== r.sid || holder.node === this.node) return undefined;
    // The user's events wait until the client has its login reply and the replay, so that they
    // are numbered after the frames that moved with the session.
    const key = req.a + '/' + req.u;
    const waiting: UserEnvelope[] = [];
    this.arriving.set(key, waiting);
    try {
      const snap = await this.handoffs.take(holder.node, r.sid);
      if (!snap || snap.app !== req.a || snap.uid !== req.u)
        return (await this.fresh(login)) ?? null;
      return (await this.moveIn(snap, login)) ?? null;
    } finally {
      if (this.arriving.get(key) === waiting) this.arriving.delete(key);
      this.redeliver(waiting);
    }
  }

  private async moveIn(snap: SessionSnapshot, login: LoginAttempt): Promise<Session | undefined> {
    const { ws, req, expMs, now } = login;
    const session = Session.restore({ ...snap, app: this.internApp(snap.app) }, this.config, now);
    session.tokenExpMs = expMs;
    this.hub.add(session);
    await this.backend.nodes.registerSession(this.node, req.a, req.u, session.sid);
    await this.presence.rewatch(session);
    const result = this.result(session, true, now);
    for (const s of this.services) await s.adopted?.(session, snap.services[s.ops[0]!], result);
    // A login elsewhere may have replaced the session while it travelled (its kick, sent to
    // this node before the session was here, found nothing): the Store says.
    const holder = await this.backend.users.locateUser(req.a, req.u);
    if (session.ended || holder?.sid !== session.sid || holder.node !== this.node) {
      if (!session.ended) this.kickLocal(session, 'REMOTE_LOGIN', true);
      return replacedMeanwhile(ws);
    }
    this.goLive(session, login, result);
    this.log.debug({ app: req.a, uid: req.u, sid: session.sid }, 'session moved here');
    return session;
  }

  /** Another node takes over a session of this node: stop serving it and hand it over. */
  private async giveAway(req: TakeRequest): Promise<void> {
    const s = this.hub.bySessionId(req.sid);
    if (!s || s.ended || this.handingOff.has(s.sid)) {
      await this.handoffs.give(req, null);
      return;
    }
    this.handingOff.add(s.sid);
    try {
      const holder = { sid: s.sid, node: this.node };
      const moved = await this.backend.users.moveUser(s.app, s.uid, holder, req.to);
      // From here on the user's events go to the new node; what came before is in the outbox.
      if (moved) await this.backend.nodes.unregisterSession(this.node, s.app, s.uid, s.sid);
      if (!moved || s.ended) {
        await this.handoffs.give(req, null);
        return;
      }
      const ws = s.ws;
      s.ws = null;
      ws?.terminate();
      const snap = s.snapshot();
      for (const svc of this.services) {
        const state = svc.handOff?.(s);
        if (state !== undefined) snap.services[svc.ops[0]!] = state;
      }
      s.ended = true;
      this.hub.remove(s);
      try {
        await this.handoffs.give(req, snap);
      } finally {
        await this.presence.dropAll(s).catch((e) => this.fail(e));
        for (const svc of this.services) await svc.handedOff?.(s).catch((e) => this.fail(e));
      }
      this.log.debug({ app: s.app, uid: s.uid, sid: s.sid, to: req.to }, 'session moved away');
    } finally {
      this.handingOff.delete(s.sid);
    }
  }

  /**
   * A node answered a take after this one gave up waiting (and started a fresh session): the
   * peer messages the old session had not delivered go to the user's session here, if any.
   */
  private lateHandoff(state: SessionSnapshot): void {
    const holder = this.hub.byUserId(state.app, state.uid);
    let moved = 0;
    for (const e of state.outbox) {
      if (!e.peer || !holder || holder.ended) continue;
      holder.push(e.peer, e.offlineMid ? { offlineMid: e.offlineMid } : undefined);
      if (e.reply) void this.peers.settle(e.reply, false).catch((err) => this.fail(err));
      moved++;
    }
    this.log.warn(
      { app: state.app, uid: state.uid, sid: state.sid, moved, frames: state.outbox.length },
      'a session arrived after its handoff timed out',
    );
  }

  /**
   * One copy of each app id for all its sessions (each login frame parses a new one). Bounded,
   * so an open server fed made-up app ids keeps no more than MAX_INTERNED_APPS.
   */
  private internApp(app: string): string {
    const known = this.apps.get(app);
    if (known !== undefined) return known;
    if (this.apps.size < MAX_INTERNED_APPS) this.apps.set(app, app);
    return app;
  }

  /** Events that waited for a session to arrive: delivered now, in order. */
  private redeliver(waiting: UserEnvelope[]): void {
    for (const env of waiting) this.onNodeEvent(env);
  }

  private async fresh(login: LoginAttempt): Promise<Session | undefined> {
    const { ws, req, expMs, now } = login;
    const sid = this.sessionIds.next();
    // No socket until the login reply: what is pushed meanwhile waits in the outbox and follows
    // the reply (a frame before it would meet the sequence of the client's previous session).
    const session = new Session(sid, this.internApp(req.a), req.u, expMs, this.config, now);
    const local = this.hub.byUserId(req.a, req.u);
    this.hub.add(session);
    const previous = await this.backend.users.claimUser(req.a, req.u, { sid, node: this.node });
    await this.backend.nodes.registerSession(this.node, req.a, req.u, sid);
    if (local && !local.ended) {
      // The same user logged in again on this node: the older session is aborted, and the
      // messages it never delivered move to the new one.
      for (const m of local.undeliveredMessages()) {
        session.push(m.frame, m.offlineMid ? { offlineMid: m.offlineMid } : undefined);
      }
      this.kickLocal(local, 'REMOTE_LOGIN', true);
    } else if (previous) {
      await this.backend.broker.publish(nodeTopic(previous.node), {
        t: 'kick',
        sid: previous.sid,
        why: 'REMOTE_LOGIN',
      } satisfies KickEvent);
    }
    if (!previous) await this.presence.announce(req.a, req.u, 'ONLINE');
    if (session.ended) return replacedMeanwhile(ws); // a later login kicked it already
    this.goLive(session, login, this.result(session, false, now));
    await this.peers.deliverStored(session);
    for (const s of this.services) await s.started?.(session);
    this.log.debug({ app: req.a, uid: req.u, sid }, 'session started');
    return session;
  }

  /**
   * The login's session takes its socket: what the client acknowledged with a resume is
   * settled, the reply goes out, then every frame still unacknowledged, in order. Nothing is
   * written to the socket before the reply (see `fresh`).
   */
  private goLive(session: Session, login: LoginAttempt, result: LoginResult): void {
    if (login.req.r && result.resumed) {
      const acked = session.ack(login.req.r.s);
      void this.peers
        .acknowledged(session, acked.offlineMids, acked.replies)
        .catch((e) => this.fail(e));
    }
    session.ws = login.ws;
    login.attach(session);
    session.send({ t: 'ok', i: login.req.i, r: result });
    session.replay();
    if (session.presence === 'UNREACHABLE') this.setPresence(session, 'ONLINE');
  }

  private result(session: Session, resumed: boolean, now: number): LoginResult {
    return {
      sid: session.sid,
      resumed,
      ts: now,
      exp: session.tokenExpMs,
      hb: this.config.heartbeatMs,
    };
  }

  /** A packet arrived: the user is alive. */
  touch(session: Session, now: number): void {
    session.lastRxMs = now;
    if (session.presence === 'UNREACHABLE') this.setPresence(session, 'ONLINE');
  }

  /** The socket closed; the session waits for a resume until its window ends. */
  detach(session: Session, ws: WebSocket): void {
    if (session.ws !== ws) return;
    session.ws = null;
    for (const r of session.takeReplies())
      void this.peers.settle(r, false).catch((e) => this.fail(e));
  }

  async logout(session: Session): Promise<void> {
    await this.end(session, 'logout');
  }

  /**
   * Ends a session. Unless a newer session holds the user (`replaced`), the user goes offline.
   */
  async end(session: Session, why: EndReason): Promise<void> {
    if (session.ended) return;
    session.ended = true;
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
  }

  /** Tells the client why, closes its socket, ends the session. */
  kickLocal(session: Session, why: KickReason, replaced = false): void {
    session.send({ t: 'kick', why });
    session.ws?.close(CloseCode.KICKED, why);
    session.ws = null;
    void this.end(session, replaced ? 'replaced' : 'kicked').catch((e) => this.fail(e));
  }

  /** Bans a user: its session, on whichever node, ends with BANNED_BY_SERVER. */
  async ban(app: string, uid: string, untilMs: number): Promise<boolean> {
    await this.backend.bans.setBan(app, uid, untilMs);
    if (untilMs === 0) return false;
    const kick: UserKick = { t: 'kick', why: 'BANNED_BY_SERVER' };
    return (await this.router.toUser(app, uid, kick)) > 0;
  }

  /**
   * An event for a user of this node. Answers false, changing nothing, when no live session of
   * the user is here (the user left or moved on).
   */
  private toLocalUser(env: UserEnvelope): boolean {
    if (this.arriving.size > 0) {
      const waiting = this.arriving.get(env.a + '/' + env.u);
      if (waiting) {
        waiting.push(env);
        return true;
      }
    }
    const found = this.hub.byUserId(env.a, env.u);
    const holder = found && !found.ended ? found : undefined;
    if (!holder) return false;
    const d = env.e as PeerDelivery | UserKick | UserEvent;
    if (d.t === 'msg') this.peers.deliver(holder, d as PeerDelivery);
    else if (d.t === 'kick') this.kickLocal(holder, (d as UserKick).why);
    else this.byUserEvent.get(d.t)?.onUserEvent?.(env.a, env.u, holder, d);
    return true;
  }

  /**
   * An event reached this node after its user left (moved to another node, or went offline):
   * follow the user once; a peer message nobody takes is kept offline, anything else dropped.
   */
  private async reroute(env: UserEnvelope): Promise<void> {
    const taken = env.hop ? 0 : await this.router.toUser(env.a, env.u, env.e, 1);
    if (taken > 0) return;
    if (env.e.t === 'msg') await this.peers.offline(env.a, env.u, env.e as PeerDelivery);
    else this.byUserEvent.get(env.e.t)?.onUserEvent?.(env.a, env.u, undefined, env.e);
  }

  private onNodeEvent(e: NodeEvent): void {
    if (e.t === 'take') {
      this.giveAway(e).catch((err) => this.fail(err));
    } else if (e.t === 'given') {
      if (!this.handoffs.given(e) && e.state) this.lateHandoff(e.state);
    } else if (e.t === 'u') {
      if (!this.toLocalUser(e)) this.reroute(e).catch((err) => this.fail(err));
    } else if (e.t === 'recv') {
      const s = this.hub.bySessionId(e.reply.sid);
      s?.send({ t: 'ok', i: e.reply.i, r: { recv: e.recv, mid: e.reply.mid, ts: e.reply.ts } });
    } else {
      const s = this.hub.bySessionId(e.sid);
      if (s) this.kickLocal(s, e.why, true);
    }
  }

  private setPresence(session: Session, state: 'ONLINE' | 'UNREACHABLE'): void {
    session.presence = state;
    void this.presence.announce(session.app, session.uid, state).catch((e) => this.fail(e));
  }

  sweep(now: number): void {
    for (const s of this.hub.all()) {
      const idle = now - s.lastRxMs;
      if (idle > this.config.resumeWindowMs) {
        s.ws?.terminate();
        s.ws = null;
        void this.end(s, 'expired').catch((e) => this.fail(e));
        continue;
      }
      if (idle > this.config.unreachableAfterMs && s.presence === 'ONLINE')
        this.setPresence(s, 'UNREACHABLE');
      if (s.tokenExpMs > 0) {
        if (now >= s.tokenExpMs) {
          if (s.attached) this.kickLocal(s, 'TOKEN_EXPIRED');
        } else if (
          !s.willExpireSent &&
          now >= s.tokenExpMs - this.config.tokenWillExpireLeadMs &&
          s.attached
        ) {
          s.willExpireSent = true;
          s.send({ t: 'exp', exp: s.tokenExpMs });
        }
      }
    }
  }

  /** How long this node counts as alive after each heartbeat. */
  private get liveTtlMs(): number {
    return 3 * this.config.heartbeatMs;
  }

  /**
   * Keeps this node alive in the Store, and ends the sessions of nodes that died: once a node
   * has been silent for the resume window, its users go offline and leave their channels.
   */
  private async reap(now: number): Promise<void> {
    if (!(await this.backend.nodes.nodeAlive(this.node, this.liveTtlMs))) await this.reassert();
    const lapsed = new Set(await this.backend.nodes.lapsedNodes());
    for (const n of this.lapsedSince.keys()) if (!lapsed.has(n)) this.lapsedSince.delete(n);
    for (const n of lapsed) {
      if (n === this.node) continue;
      const since = this.lapsedSince.get(n) ?? now;
      this.lapsedSince.set(n, since);
      if (now - since < this.config.resumeWindowMs) continue;
      this.lapsedSince.delete(n);
      for (const s of await this.backend.nodes.takeSessions(n)) {
        const holder = { sid: s.sid, node: n };
        if (!(await this.backend.users.releaseUser(s.app, s.uid, holder))) continue;
        for (const svc of this.services)
          await svc.endedElsewhere?.(s.app, s.uid).catch((e) => this.fail(e));
        await this.presence.announce(s.app, s.uid, 'OFFLINE');
        this.log.info({ node: n, app: s.app, uid: s.uid }, 'ended a session of a dead node');
      }
    }
  }

  /**
   * The Store forgot this node (a Redis restarted without persistence, or this node stalled
   * past its liveness and was reaped): registers its live sessions again, so users stay
   * reachable, online and in their channels. A user held elsewhere meanwhile is let go here.
   */
  private async reassert(): Promise<void> {
    let count = 0;
    for (const s of [...this.hub.all()]) {
      if (s.ended || this.handingOff.has(s.sid)) continue;
      const holder = await this.backend.users.locateUser(s.app, s.uid);
      if (s.ended) continue;
      if (holder && (holder.sid !== s.sid || holder.node !== this.node)) {
        if (holder.sid !== s.sid) this.kickLocal(s, 'REMOTE_LOGIN', true);
        continue;
      }
      if (!holder) {
        // Released meanwhile (another node took this one for dead): the user is back.
        const replaced = await this.backend.users.claimUser(s.app, s.uid, {
          sid: s.sid,
          node: this.node,
        });
        if (replaced) {
          if (!s.ended) this.kickLocal(s, 'REMOTE_LOGIN', true);
          continue;
        }
        await this.presence.announce(s.app, s.uid, s.presence);
      }
      await this.backend.nodes.registerSession(this.node, s.app, s.uid, s.sid);
      for (const svc of this.services) await svc.reasserted?.(s).catch((e) => this.fail(e));
      count++;
    }
    if (count > 0)
      this.log.warn(
        { sessions: count },
        'the store had lost this node: registered its sessions again',
      );
  }

  private fail(e: unknown): void {
    this.log.error({ err: e }, 'session task failed');
  }
}

/** The shape of what may arrive on a node's inbox topic. */
function isNodeEvent(p: unknown): p is NodeEvent {
  if (typeof p !== 'object' || p === null) return false;
  const e = p as Record<string, unknown>;
  switch (e.t) {
    case 'u':
      return (
        typeof e.a === 'string' &&
        typeof e.u === 'string' &&
        typeof e.e === 'object' &&
        e.e !== null &&
        typeof (e.e as { t?: unknown }).t === 'string'
      );
    case 'recv':
      return typeof e.reply === 'object' && e.reply !== null && typeof e.recv === 'boolean';
    case 'kick':
      return typeof e.sid === 'string' && typeof e.why === 'string';
    case 'take':
      return typeof e.sid === 'string' && typeof e.rid === 'number' && typeof e.to === 'string';
    case 'given':
      return (
        typeof e.rid === 'number' &&
        (e.state === null ||
          (typeof e.state === 'object' && Array.isArray((e.state as { outbox?: unknown }).outbox)))
      );
    default:
      return false;
  }
}

/** The login's session was replaced by a later login before its reply: the client hears why. */
function replacedMeanwhile(ws: WebSocket): undefined {
  if (ws.readyState === 1) ws.send(JSON.stringify({ t: 'kick', why: 'REMOTE_LOGIN' }));
  ws.close(CloseCode.KICKED, 'REMOTE_LOGIN');
  return undefined;
}

export function sendErr(ws: WebSocket, i: number, c: number, m: string): void {
  if (ws.readyState === 1) ws.send(JSON.stringify({ t: 'err', i, c, m }));
}

/**
 * Session moves: a client whose reconnect lands on another node resumes its session there.
 * This node asks the holder for it (see handoff.ts for the request and its answer); the holder
 * moves the user in the user registry (compare-and-set on session and node), stops serving the session
 * without any shared change, and answers a snapshot. The user's events that arrive meanwhile
 * wait until the login reply and the replay are out.
 */
import type { Clock } from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import type { ServerConfig } from './config.js';
import { Handoffs, type TakeReply, type TakeRequest } from './handoff.js';
import type { Hub } from './hub.js';
import type { Logger } from './log.js';
import type { LoginAttempt, Logins } from './login.js';
import type { Peers } from './services/peers.js';
import type { Presence } from './services/presence.js';
import { Session, type SessionSnapshot } from './session.js';
import type { Sessions } from './sessions.js';
import type { UserRouter } from './user-router.js';

export class SessionMoves {
  private readonly handoffs: Handoffs;
  /** Sessions being taken over from another node, by session id: a second login waits. */
  private readonly adopting = new Map<string, Promise<unknown>>();

  constructor(
    private readonly config: ServerConfig,
    private readonly node: string,
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly sessions: Sessions,
    private readonly logins: Logins,
    private readonly router: UserRouter,
    private readonly presence: Presence,
    private readonly peers: Peers,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.handoffs = new Handoffs(backend.broker, node, config.handoffTimeoutMs, clock);
  }

  /**
   * The takeover of session `sid` in flight, if any, settled either way. (No await when there
   * is none: a login checks this and starts its own takeover in one turn.)
   */
  inFlight(sid: string): Promise<unknown> | undefined {
    return this.adopting.get(sid)?.catch(() => undefined);
  }

  /**
   * The client resumes a session another node holds: takes it over from there. Answers
   * undefined when no other node holds it; a fresh session when the holder is gone; null when
   * the login was answered otherwise (replaced by a later login meanwhile).
   */
  adopt(login: LoginAttempt): Promise<Session | null | undefined> {
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
    const waiting = this.router.hold(req.a, req.u);
    try {
      const snap = await this.handoffs.take(holder.node, r.sid);
      if (!snap || snap.app !== req.a || snap.uid !== req.u)
        return (await this.logins.fresh(login)) ?? null;
      return (await this.moveIn(snap, login)) ?? null;
    } finally {
      this.router.release(req.a, req.u, waiting);
    }
  }

  private async moveIn(snap: SessionSnapshot, login: LoginAttempt): Promise<Session | undefined> {
    const { req, expMs, now } = login;
    const app = this.sessions.internApp(snap.app);
    const session = Session.restore({ ...snap, app }, this.config, now);
    session.tokenExpMs = expMs;
    this.hub.add(session);
    await this.backend.nodes.registerSession(this.node, req.a, req.u, session.sid);
    await this.presence.rewatch(session);
    const result = this.logins.result(session, true, now);
    for (const s of this.sessions.all) await s.adopted?.(session, snap.services[s.name], result);
    // A login elsewhere may have replaced the session while it travelled (its kick, sent to
    // this node before the session was here, found nothing): the user registry says.
    const holder = await this.backend.users.locateUser(req.a, req.u);
    if (session.ended || holder?.sid !== session.sid || holder.node !== this.node) {
      if (!session.ended) this.sessions.kickLocal(session, 'REMOTE_LOGIN', true);
      return this.logins.replacedMeanwhile(login.conn);
    }
    this.logins.goLive(session, login, result);
    this.log.debug({ app: req.a, uid: req.u, sid: session.sid }, 'session moved here');
    return session;
  }

  /** An answer to a take of this node arrived. */
  given(reply: TakeReply): void {
    if (!this.handoffs.given(reply) && reply.state) this.lateHandoff(reply.state);
  }

  /** Another node takes over a session of this node: stop serving it and hand it over. */
  async giveAway(req: TakeRequest): Promise<void> {
    const s = this.hub.bySessionId(req.sid);
    const handingOff = this.sessions.handingOff;
    if (!s || s.ended || handingOff.has(s.sid)) {
      await this.handoffs.give(req, null);
      return;
    }
    handingOff.add(s.sid);
    try {
      const holder = { sid: s.sid, node: this.node };
      const moved = await this.backend.users.moveUser(s.app, s.uid, holder, req.to);
      // From here on the user's events go to the new node; what came before is in the outbox.
      if (moved) await this.backend.nodes.unregisterSession(this.node, s.app, s.uid, s.sid);
      if (!moved || s.ended) {
        await this.handoffs.give(req, null);
        return;
      }
      this.hub.drop(s);
      const snap = s.snapshot();
      for (const svc of this.sessions.all) {
        const state = svc.handOff?.(s);
        if (state !== undefined) snap.services[svc.name] = state;
      }
      s.ended = true;
      this.hub.remove(s);
      try {
        await this.handoffs.give(req, snap);
      } finally {
        await this.presence.dropAll(s).catch((e) => this.sessions.fail(e));
        for (const svc of this.sessions.all)
          await svc.handedOff?.(s).catch((e) => this.sessions.fail(e));
      }
      this.log.debug({ app: s.app, uid: s.uid, sid: s.sid, to: req.to }, 'session moved away');
    } finally {
      handingOff.delete(s.sid);
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
      this.hub.push(holder, e.peer, e.offlineMid ? { offlineMid: e.offlineMid } : undefined);
      if (e.reply) void this.peers.settle(e.reply, false).catch((err) => this.sessions.fail(err));
      moved++;
    }
    this.log.warn(
      { app: state.app, uid: state.uid, sid: state.sid, moved, frames: state.outbox.length },
      'a session arrived after its handoff timed out',
    );
  }
}

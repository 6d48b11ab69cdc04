/**
 * invitations: the call-invitation state machine, kept on the server so timers and offline
 * callees are handled even when a client vanishes.
 *
 * State lives in the InvitationStore (one record per live invitation, see its phases); every
 * change is a compare-and-set there, so racing requests and timers settle an invitation once.
 * Each side hears every outcome as a reliable push, routed to the node holding it: a side that
 * is reconnecting gets it on resume. One timer serves every deadline: it is armed for the
 * earliest one and nothing stays scheduled once no invitation lives.
 */
import {
  InvitationApiCallError,
  InvitationRequestError,
  type Clock,
  type InvitationAnswerReq,
  type InvitationSendReq,
  type LocalInvitationPush,
  type LoginResult,
  type RemoteInvitationPush,
  type TimerHandle,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import {
  ALL_PHASES,
  type InvitationStore,
  type StoredInvitation,
} from '../backend/invitation-store.js';
import type { ServerConfig } from '../config.js';
import type { EventStream, InvitationPhase } from '../events.js';
import type { Hub } from '../hub.js';
import {
  op,
  type EndReason,
  type ServiceFrame,
  type SessionService,
  type UserEvent,
} from '../service.js';
import type { Session, UnsequencedPush } from '../session.js';
import type { UserRouter } from '../user-router.js';
import { FollowingInvitations, type InvitationEvent } from './invitations-follow.js';

const E = InvitationApiCallError;
/** What the failed event of an invitation whose phase timed out says (the caller's view, but for `accepting`). */
const EXPIRY_REASON: Readonly<Record<StoredInvitation['phase'], string>> = {
  offline: 'PEER_OFFLINE',
  ringing: 'PEER_NO_RESPONSE',
  received: 'INVITATION_EXPIRE',
  accepting: 'ACCEPT_FAILURE',
};
const INVITATION = op(InvitationRequestError.TRY_AGAIN, InvitationRequestError.TRY_AGAIN);

export class Invitations implements SessionService {
  readonly name = 'invitations';
  readonly ops = {
    'inv.send': INVITATION,
    'inv.cancel': INVITATION,
    'inv.confirm': INVITATION,
    'inv.ack': INVITATION,
    'inv.accept': INVITATION,
    'inv.refuse': INVITATION,
    'inv.endcall': INVITATION,
  };
  readonly userEvents = ['inv'] as const;
  private readonly store: InvitationStore;
  private timer: TimerHandle | undefined;
  /** When the timer fires; Infinity when it is not armed. */
  private timerAt = Infinity;
  private closed = false;
  /** Pushes and invitations of users whose node died. */
  private readonly follow: FollowingInvitations;

  constructor(
    backend: Backend,
    private readonly hub: Hub,
    router: UserRouter,
    private readonly events: EventStream,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
  ) {
    this.store = backend.invitations;
    const parkTtlMs = config.resumeWindowMs + 3 * config.heartbeatMs;
    this.follow = new FollowingInvitations(backend, router, parkTtlMs);
    // A shared store may hold invitations of other (or earlier) nodes: time them too.
    this.store.nextDeadline().then(
      (next) => {
        if (next !== undefined) this.arm(next);
      },
      () => undefined,
    );
  }

  /** Stops the timer; invitations left in the store stay as they are. */
  stop(): void {
    this.closed = true;
    this.clock.clear(this.timer);
    this.timer = undefined;
  }

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    switch (f.t) {
      case 'inv.send':
        return this.sendInvitation(session, f, now);
      case 'inv.cancel': {
        const inv = await this.store.remove(session.app, session.uid, f.id, { phases: ALL_PHASES });
        if (!inv) return this.gone(session, f.i, f.id);
        this.phase(inv, 'canceled');
        // Also when still `offline`: the callee may be logging in right now; unknown ids are ignored.
        await this.toCallee(inv, { e: 'Canceled', c: f.c });
        this.ok(session, f.i);
        return this.retime();
      }
      case 'inv.confirm': {
        const inv = await this.store.remove(session.app, session.uid, f.id, {
          phases: ['accepting'],
        });
        if (!inv) return this.gone(session, f.i, f.id);
        this.phase(inv, 'confirmed');
        await this.toCallee(inv, { e: 'Accepted' });
        this.ok(session, f.i);
        return this.retime();
      }
      case 'inv.ack': {
        const inv = await this.store.update(
          session.app,
          f.f,
          f.id,
          { phases: ['offline', 'ringing'], callee: session.uid },
          {
            phase: 'received',
            deadline: now + this.config.invitationExpireMs,
            calleeSid: session.sid,
          },
        );
        if (inv) {
          this.arm(inv.deadline);
          this.phase(inv, 'received');
          await this.toCaller(inv, { e: 'ReceivedByPeer' });
          return this.ok(session, f.i);
        }
        // Acknowledged already (a resent ack, or accepted meanwhile): nothing more to do.
        const cur = await this.store.get(session.app, f.f, f.id);
        return cur?.callee === session.uid ? this.ok(session, f.i) : this.gone(session, f.i, f.id);
      }
      case 'inv.accept':
        return this.accept(session, f, now);
      case 'inv.refuse': {
        const inv = await this.store.remove(session.app, f.f, f.id, {
          phases: ['offline', 'ringing', 'received'],
          callee: session.uid,
        });
        if (!inv) return this.notAnswerable(session, f);
        this.phase(inv, 'refused');
        await this.toCaller(inv, { e: 'Refused', r: f.r });
        this.ok(session, f.i);
        return this.retime();
      }
      case 'inv.endcall': {
        const inv = await this.store.remove(session.app, f.f, f.id, {
          phases: ALL_PHASES,
          callee: session.uid,
        });
        if (!inv) return this.gone(session, f.i, f.id);
        this.phase(inv, 'canceled');
        await this.toCaller(inv, { e: 'Canceled' });
        this.ok(session, f.i);
        return this.retime();
      }
    }
  }

  private async sendInvitation(session: Session, f: InvitationSendReq, now: number): Promise<void> {
    const inv: StoredInvitation = {
      app: session.app,
      id: f.id,
      caller: session.uid,
      callee: f.to,
      callerSid: session.sid,
      calleeSid: '',
      channelId: f.ch,
      content: f.c,
      response: '',
      phase: 'offline',
      deadline: now + this.config.invitationPeerOfflineMs,
    };
    if (!(await this.store.create(inv))) {
      const cur = await this.store.get(session.app, session.uid, f.id);
      // The same send again (the SDK resends when the connection dropped before the answer).
      if (cur && cur.callerSid === session.sid && cur.callee === f.to) return this.ok(session, f.i);
      return this.hub.tell(session, {
        t: 'err',
        i: f.i,
        c: E.ALREADY_SENT,
        m: `invitationId: "${f.id}" names another live invitation of yours`,
      });
    }
    this.arm(inv.deadline);
    this.phase(inv, 'sent');
    const receivers = await this.toCallee(inv, {
      e: 'Received',
      ch: inv.channelId,
      c: inv.content,
    });
    if (receivers > 0) {
      // The callee is online: now its SDK must acknowledge. (It may have done so already.)
      const ringing = await this.store.update(
        inv.app,
        inv.caller,
        inv.id,
        { phases: ['offline'] },
        { phase: 'ringing', deadline: now + this.config.invitationNoResponseMs },
      );
      if (ringing) this.arm(ringing.deadline);
    }
    this.ok(session, f.i);
  }

  private async accept(session: Session, f: InvitationAnswerReq, now: number): Promise<void> {
    const inv = await this.store.update(
      session.app,
      f.f,
      f.id,
      { phases: ['offline', 'ringing', 'received'], callee: session.uid },
      {
        phase: 'accepting',
        deadline: now + this.config.invitationAcceptTimeoutMs,
        response: f.r,
        calleeSid: session.sid,
      },
    );
    if (!inv) {
      const cur = await this.store.get(session.app, f.f, f.id);
      // A resent accept of this session changes nothing.
      if (cur?.phase === 'accepting' && cur.calleeSid === session.sid) return this.ok(session, f.i);
      return this.notAnswerable(session, f);
    }
    this.arm(inv.deadline);
    this.phase(inv, 'accepted');
    await this.toCaller(inv, { e: 'Accepted', r: f.r });
    this.ok(session, f.i);
  }

  /** Why an accept or refuse cannot be taken: accepted already, or not live (for this callee). */
  private async notAnswerable(session: Session, f: InvitationAnswerReq): Promise<void> {
    const cur = await this.store.get(session.app, f.f, f.id);
    if (cur?.callee === session.uid && cur.phase === 'accepting')
      return this.hub.tell(session, {
        t: 'err',
        i: f.i,
        c: E.ALREADY_ACCEPT,
        m: `invitationId: "${f.id}" is accepted already`,
      });
    this.gone(session, f.i, f.id);
  }

  /**
   * A fresh login: deliver the invitations that waited for this callee, and those pushed to an
   * earlier session of it that never acknowledged them (this login replaces that session).
   */
  async started(session: Session): Promise<void> {
    const now = this.clock.now();
    for (const waiting of await this.store.ofUser(session.app, session.uid)) {
      const unheard =
        waiting.phase === 'offline' || (waiting.phase === 'ringing' && waiting.calleeSid === '');
      if (waiting.callee !== session.uid || !unheard) continue;
      const inv = await this.store.update(
        waiting.app,
        waiting.caller,
        waiting.id,
        { phases: [waiting.phase], callee: session.uid },
        { phase: 'ringing', deadline: now + this.config.invitationNoResponseMs },
      );
      if (!inv) continue;
      this.arm(inv.deadline);
      this.hub.push(session, remotePush(inv, { e: 'Received', ch: inv.channelId, c: inv.content }));
    }
  }

  /**
   * A session ended (its resume window passed, or logout, kick, a login elsewhere): what it
   * sent or had received ends now, and the other side hears why.
   */
  async ended(session: Session, why: EndReason): Promise<void> {
    await this.endUser(session.app, session.uid, (inv) => ({
      asCaller: inv.callerSid === session.sid,
      asCallee:
        inv.calleeSid === session.sid ||
        // Pushed to this user but not acknowledged: no other session of it holds it.
        (inv.calleeSid === '' && inv.phase === 'ringing' && why !== 'replaced'),
    }));
  }

  /** The node that held (app, uid) died: the user is offline, as after a session end. */
  async endedElsewhere(app: string, uid: string): Promise<void> {
    await this.endUser(app, uid, (inv) => ({
      asCaller: true,
      asCallee: inv.calleeSid !== '' || inv.phase === 'ringing',
    }));
    const next = await this.store.nextDeadline();
    if (next !== undefined) this.arm(next);
  }

  private async endUser(
    app: string,
    uid: string,
    held: (inv: StoredInvitation) => { asCaller: boolean; asCallee: boolean },
  ): Promise<void> {
    for (const inv of await this.store.ofUser(app, uid)) {
      const h = held(inv);
      const asCaller = inv.caller === uid && h.asCaller;
      const asCallee = inv.callee === uid && h.asCallee;
      if (!asCaller && !asCallee) continue;
      const gone = await this.store.remove(inv.app, inv.caller, inv.id, { phases: ALL_PHASES });
      if (!gone) continue;
      this.phase(gone, 'failed', asCaller ? 'NOT_LOGGEDIN' : 'PEER_OFFLINE');
      if (asCaller && gone.phase !== 'offline')
        await this.toCallee(gone, {
          e: 'Failure',
          why: gone.phase === 'accepting' ? 'ACCEPT_FAILURE' : 'PEER_OFFLINE',
        });
      else if (!asCaller) await this.toCaller(gone, { e: 'Failure', why: 'PEER_OFFLINE' });
    }
    await this.retime();
  }

  onUserEvent(_app: string, _uid: string, holder: Session | undefined, event: UserEvent): void {
    const e = event as InvitationEvent;
    if (!holder || (e.sid !== '' && e.sid !== holder.sid)) return;
    this.hub.push(holder, e.push as UnsequencedPush);
  }

  /** The user's node died and it landed here: its invitations carry on with this session. */
  replacedDead(session: Session, previous: { sid: string }, result: LoginResult): Promise<void> {
    return this.follow.takeOver(session, previous.sid, result);
  }

  /** Arms the one timer for `at` unless it fires earlier already. */
  private arm(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    this.clock.clear(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        // The store failed (Redis away): try again shortly.
        this.sweep().catch(() => this.arm(this.clock.now() + this.config.storeRetryMs));
      },
      Math.max(0, at - this.clock.now()),
    );
    this.timer.unref?.();
  }

  /** After invitations ended: once none lives, nothing stays scheduled. */
  private async retime(): Promise<void> {
    if (this.timer === undefined || (await this.store.nextDeadline()) !== undefined) return;
    this.clock.clear(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    // One sent meanwhile armed nothing (the timer fired earlier then): look again.
    const next = await this.store.nextDeadline();
    if (next !== undefined) this.arm(next);
  }

  /** Ends every invitation whose deadline passed, then arms the timer for the next one. */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const due of await this.store.due(now, this.config.invitationSweepBatch)) {
      const inv = await this.store.remove(due.app, due.caller, due.id, {
        phases: [due.phase],
        dueBy: now,
      });
      if (inv) await this.expired(inv);
    }
    const next = await this.store.nextDeadline();
    if (next !== undefined) this.arm(next);
  }

  private async expired(inv: StoredInvitation): Promise<void> {
    this.phase(inv, 'failed', EXPIRY_REASON[inv.phase]);
    switch (inv.phase) {
      case 'offline':
        await this.toCaller(inv, { e: 'Failure', why: 'PEER_OFFLINE' });
        return;
      case 'ringing':
        await this.toCaller(inv, { e: 'Failure', why: 'PEER_NO_RESPONSE' });
        // In case the callee's SDK has it after all (its acknowledgement was lost).
        await this.toCallee(inv, { e: 'Failure', why: 'INVITATION_EXPIRE' });
        return;
      case 'received':
        await this.toCaller(inv, { e: 'Failure', why: 'INVITATION_EXPIRE' });
        await this.toCallee(inv, { e: 'Failure', why: 'INVITATION_EXPIRE' });
        return;
      case 'accepting':
        // The caller may have taken the accept but not confirmed it: as in RTM, only the callee
        // hears of it.
        await this.toCallee(inv, { e: 'Failure', why: 'ACCEPT_FAILURE' });
    }
  }

  private toCaller(inv: StoredInvitation, event: LocalEvent): Promise<number> {
    return this.publish(inv.app, inv.caller, inv.callerSid, { t: 'linv', id: inv.id, ...event });
  }

  /** Answers how many nodes hold the callee (0: offline). */
  private toCallee(inv: StoredInvitation, event: RemoteEvent): Promise<number> {
    return this.publish(inv.app, inv.callee, inv.calleeSid, remotePush(inv, event));
  }

  private publish(app: string, uid: string, sid: string, push: UnsequencedPush): Promise<number> {
    return this.follow.publish(app, uid, { t: 'inv', sid, push });
  }

  private ok(session: Session, i: number): void {
    this.hub.tell(session, { t: 'ok', i });
  }

  private gone(session: Session, i: number, id: string): void {
    this.hub.tell(session, {
      t: 'err',
      i,
      c: E.ALREADY_END,
      m: `invitationId: "${id}" is not a live invitation (it ended, or never was)`,
    });
  }

  /** The `invitation` event of a phase that became true. */
  private phase(inv: StoredInvitation, phase: InvitationPhase, reason?: string): void {
    if (!this.events.wants('invitation')) return;
    const { app, id, caller, callee, channelId } = inv;
    const ts = this.clock.now();
    this.events.emit(
      reason === undefined
        ? { type: 'invitation', app, id, caller, callee, channelId, phase, ts }
        : { type: 'invitation', app, id, caller, callee, channelId, phase, reason, ts },
    );
  }
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type LocalEvent = Without<LocalInvitationPush, 't' | 's' | 'id'>;
type RemoteEvent = Without<RemoteInvitationPush, 't' | 's' | 'f' | 'id'>;

function remotePush(inv: StoredInvitation, event: RemoteEvent): UnsequencedPush {
  return { t: 'rinv', f: inv.caller, id: inv.id, ...event };
}

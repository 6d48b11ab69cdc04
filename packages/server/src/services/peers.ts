/**
 * peers: peer-to-peer messages. A message goes to the node holding the receiver, which pushes
 * it and, once the receiver's SDK acknowledges it, tells the sender `recv: true`. A receiver
 * nobody holds is offline: the message is stored if the sender asked for offline messaging,
 * and the sender hears `recv: false`.
 *
 * The receipt names the request it answers. The sender's node keeps a message routed to
 * another node until its receipt (`Unreceipted`: that node may die with it), and, while someone
 * listens to `peer.message` events, what the event needs until the receipt, to emit it with the
 * outcome (`PeerOutcomes`). A message kept in the history (`h`) is answered once both its
 * receipt came and the history has it.
 *
 * An application backend sends through the REST API as a user without a session (`sendAs`):
 * its receipt names a waiter of this node (`rest:<n>`) instead of a session, and receivers get
 * exactly what an SDK sender would cause.
 */
import {
  PeerMessageError,
  type Clock,
  type PeerSendReq,
  type TimerHandle,
  type WireMessage,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { EventStream } from '../events.js';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService, type UserEvent } from '../service.js';
import type { OutboxExtra, ReplyTarget, Session } from '../session.js';
import { FlaggedMessages } from './flagged-messages.js';
import { ParkedPeers } from './parked-peers.js';
import { PeerOutcomes } from './peer-outcomes.js';
import { nodeTopic } from '../topics.js';
import type { UserRouter } from '../user-router.js';

/** What is routed to the receiver's node for a peer message. */
export interface PeerDelivery {
  t: 'msg';
  msg: StoredMessage;
  off: boolean;
  reply: ReplyTarget;
}

/** Why a receiver did not get a message at once (see ReceiptEvent). */
export type NotReceived = 'stored' | 'pending';

/** What travels on a node topic to settle a sender's request. */
export interface ReceiptEvent {
  t: 'recv';
  reply: ReplyTarget;
  recv: boolean;
  /** When `recv` is false: kept offline, or waiting in the receiver's resuming session. */
  why?: NotReceived;
}

/** What a REST sender hears: the SDK has it, it was kept offline, it is on its way, or no ack in time. */
export type RestPeerOutcome = 'delivered' | 'offline' | 'sent' | 'timeout';

export interface RestPeerSend {
  /** Keep it for an offline receiver. */
  off: boolean;
  /** Keep it in the history (text only). */
  hist: boolean;
  /** Answer once the receiver's SDK acknowledged it (or `timeoutMs` passed). */
  waitForAck: boolean;
  timeoutMs: number;
}

const PEER = op(PeerMessageError.TIMEOUT, PeerMessageError.FAILURE);

export class Peers implements SessionService {
  readonly name = 'peers';
  readonly ops = { psend: PEER, ack: PEER };
  readonly userEvents = ['msg', 'parked'] as const;
  private counter = 0;
  /** The `peer.message` events, emitted at each receipt. */
  private readonly outcomes: PeerOutcomes;
  /** Flagged messages of sessions that are not live, to the offline store. */
  private readonly flagged: FlaggedMessages;
  /** REST senders waiting for a receipt, by the `sid` their reply target names. */
  private readonly restWaiters = new Map<string, (e: ReceiptEvent | undefined) => void>();
  /** History writes of messages not answered yet, by message id. */
  private readonly historyWrites = new Map<string, Promise<void>>();
  /** Messages for users whose node died, and the sessions landing here. */
  private readonly parked: ParkedPeers;

  constructor(
    private readonly backend: Backend,
    private readonly node: string,
    private readonly hub: Hub,
    private readonly router: UserRouter,
    events: EventStream,
    private readonly clock: Clock,
    /** How long messages for a user whose node died wait for the user (its resume window). */
    private readonly parkTtlMs = 30_000,
  ) {
    this.flagged = new FlaggedMessages(backend, hub, (r, recv, why) => this.settle(r, recv, why));
    this.parked = new ParkedPeers(backend, hub, router, this, parkTtlMs);
    this.outcomes = new PeerOutcomes(node, events, clock);
  }

  /** Synchronous (no promise) for a message to a user of this node and for most acks. */
  handle(session: Session, f: ServiceFrame, now: number): Promise<void> | undefined {
    if (f.t === 'psend') return this.sendMessage(session, f, now);
    if (f.t === 'ack') {
      const { offlineMids, replies } = session.ack(f.s);
      if (offlineMids.length === 0 && this.allLocal(replies)) {
        // The usual case: senders on this node hear now, in this turn.
        for (const reply of replies) this.onReceipt({ t: 'recv', reply, recv: true });
        return undefined;
      }
      return this.acknowledged(session, offlineMids, replies);
    }
    return undefined;
  }

  private allLocal(replies: ReplyTarget[]): boolean {
    for (const r of replies) if (r.node !== this.node) return false;
    return true;
  }

  private nextMid(): string {
    return `${this.node}.${(++this.counter).toString(36)}`;
  }

  /** Synchronous (no promise) when the receiver's session is on this node. */
  sendMessage(session: Session, req: PeerSendReq, now: number): Promise<void> | undefined {
    if (!session.sendRate.take(now)) {
      this.hub.tell(session, {
        t: 'err',
        i: req.i,
        c: PeerMessageError.TOO_OFTEN,
        m: 'sendMessageToPeer: more than the allowed messages per window; slow down',
      });
      return undefined;
    }
    const msg: StoredMessage = { mid: this.nextMid(), from: session.uid, m: req.m, ts: now };
    const reply = this.outcomes.replyTarget(session.sid, req.i, session.app, req.to, msg, 'sdk');
    if (req.h) this.keepInHistory(session.app, req.to, msg);
    const delivery: PeerDelivery = { t: 'msg', msg, off: req.off === true, reply };
    const holder = this.hub.byUserId(session.app, req.to);
    if (holder && !holder.ended) {
      this.deliver(holder, delivery); // same node: no broker hop, no promise
      return undefined;
    }
    return this.routeAway(session.app, req.to, delivery);
  }

  private async routeAway(app: string, to: string, delivery: PeerDelivery): Promise<void> {
    await this.route(app, to, delivery);
  }

  /**
   * Sends as `from` without a session (the REST API): answers once the message was routed to
   * its receiver's session (`sent`), or, with `waitForAck`, once the receiver's SDK has it.
   */
  async sendAs(
    app: string,
    from: string,
    to: string,
    m: WireMessage,
    o: RestPeerSend,
  ): Promise<RestPeerOutcome> {
    const now = this.clock.now();
    const msg: StoredMessage = { mid: this.nextMid(), from, m, ts: now };
    const sid = `rest:${msg.mid}`;
    const reply = this.outcomes.replyTarget(sid, 0, app, to, msg, 'rest');
    const receipt = new Promise<ReceiptEvent | undefined>((resolve) => {
      this.restWaiters.set(sid, resolve);
    });
    const stored = o.hist ? this.keepInHistory(app, to, msg) : undefined;
    let timer: TimerHandle | undefined;
    try {
      const taken = await this.route(app, to, { t: 'msg', msg, off: o.off, reply });
      await stored;
      if (taken && !o.waitForAck) return 'sent';
      if (o.waitForAck)
        timer = this.clock.setTimeout(() => this.restWaiters.get(sid)?.(undefined), o.timeoutMs);
      const e = await receipt;
      if (!e) return 'timeout';
      if (e.recv) return 'delivered';
      return e.why === 'pending' || (taken && e.why === undefined) ? 'sent' : 'offline';
    } finally {
      this.restWaiters.delete(sid);
      this.clock.clear(timer);
    }
  }

  /** To the receiver's session (here, or on its node), or offline when nobody holds it. */
  async route(app: string, to: string, delivery: PeerDelivery): Promise<boolean> {
    const holder = this.hub.byUserId(app, to);
    if (holder && !holder.ended) {
      // Same node: no broker hop (and it keeps working while the broker is away).
      this.deliver(holder, delivery);
      return true;
    }
    const receivers = await this.router.reach(app, to, delivery);
    if (receivers === 'unheard') return this.parked.unheard(app, to, delivery);
    if (receivers > 0) return true;
    await this.offline(app, to, delivery);
    return false;
  }

  /** A node stopped listening: what it had not settled of this node's messages is parked. */
  nodeSilent(node: string): Promise<void> {
    return this.parked.nodeSilent(node);
  }

  /** A user landed here from a dead node: parked before the landing takes the park. */
  replacedDead(_session: Session, previous: { node: string }): Promise<void> {
    return this.parked.nodeSilent(previous.node);
  }

  /** A fresh session: from now until `land`, deliveries to it queue behind the parked ones. */
  beginLanding(session: Session): void {
    this.parked.beginLanding(session);
  }

  /** Delivers the messages parked for the user while its node was dead, then those queued. */
  land(session: Session): Promise<void> {
    return this.parked.land(session);
  }

  /** Writes a text message to the history; its sender is answered once the write is done. */
  private keepInHistory(app: string, to: string, msg: StoredMessage): Promise<void> | undefined {
    if (msg.m.k !== 'T') return undefined;
    const write = this.backend.history.append(app, {
      mid: msg.mid,
      src: msg.from,
      dst: to,
      kind: 'peer',
      payload: msg.m.x,
      ts: msg.ts,
    });
    this.historyWrites.set(msg.mid, write);
    const done = () => this.historyWrites.delete(msg.mid);
    write.then(done, done);
    return write;
  }

  /** A delivery routed to a user: pushed to its session here, or kept offline if it has none. */
  onUserEvent(app: string, uid: string, holder: Session | undefined, event: UserEvent): void {
    if (event.t === 'parked') {
      if (holder) this.parked.nudged(holder);
      return;
    }
    const d = event as PeerDelivery;
    if (holder) this.deliver(holder, d);
    else void this.offline(app, uid, d).catch(() => this.settle(d.reply, false));
  }

  /** The receiver is offline: keep the message if asked, and tell the sender it was not received. */
  async offline(app: string, to: string, d: PeerDelivery): Promise<void> {
    if (d.off) await this.backend.offline.putOffline(app, to, d.msg);
    await this.settle(d.reply, false, d.off ? 'stored' : undefined);
  }

  /** Pushes a delivery to the local session of its receiver. */
  deliver(session: Session, d: PeerDelivery): void {
    const queue = this.parked.queueOf(session);
    if (queue) return void queue.push(d);
    const frame = { t: 'msg' as const, mid: d.msg.mid, f: d.msg.from, m: d.msg.m, ts: d.msg.ts };
    if (!session.attached) {
      // Reconnecting: the message waits in the outbox for the resume. A flagged one is also
      // committed to the offline store before its sender hears (the node may die meanwhile);
      // the receiver's ack deletes it there.
      if (!d.off) {
        this.hub.push(session, frame);
        void this.settle(d.reply, false, 'pending');
        return;
      }
      const pushed = this.hub.push(session, frame, { off: true, offlineMid: d.msg.mid });
      void this.flagged.storePushed(session, d.msg, pushed ? session.lastSeq : 0).then(
        () => this.settle(d.reply, false, 'stored'),
        () => this.settle(d.reply, false),
      );
      return;
    }
    const extra: OutboxExtra = d.off ? { reply: d.reply, off: true } : { reply: d.reply };
    if (!this.hub.push(session, frame, extra))
      void this.offline(session.app, session.uid, d).catch(() => this.settle(d.reply, false));
  }

  /** The receiver's socket dropped (see FlaggedMessages). */
  detached(session: Session): Promise<void> {
    return this.flagged.detached(session);
  }

  /** The session ends: answers how many unflagged undelivered messages were dropped. */
  ending(session: Session): Promise<number> {
    return this.flagged.ending(session);
  }

  /** Before shutting down: every resuming session's flagged messages, to the store. */
  persistAll(): Promise<void> {
    return this.flagged.persistAll();
  }

  /** Pushes the messages kept while the user was offline, oldest first. */
  async deliverStored(session: Session): Promise<void> {
    // What an ended session of the user is still writing there is listed too.
    await this.flagged.written(session.app, session.uid);
    const stored = await this.backend.offline.listOffline(session.app, session.uid);
    for (const m of stored) {
      this.hub.push(
        session,
        { t: 'msg', mid: m.mid, f: m.from, m: m.m, ts: m.ts, off: 1 },
        { offlineMid: m.mid },
      );
    }
  }

  /** The receiver acknowledged frames up to some sequence: forget stored copies, tell senders. */
  async acknowledged(
    session: Session,
    offlineMids: readonly string[],
    replies: ReplyTarget[],
  ): Promise<void> {
    if (offlineMids.length > 0)
      await this.backend.offline.deleteOffline(session.app, session.uid, offlineMids);
    for (const r of replies) await this.settle(r, true);
  }

  async settle(reply: ReplyTarget, recv: boolean, why?: NotReceived): Promise<void> {
    const e: ReceiptEvent = why ? { t: 'recv', reply, recv, why } : { t: 'recv', reply, recv };
    if (reply.node === this.node) this.onReceipt(e);
    else await this.backend.broker.publish(nodeTopic(reply.node), e);
  }

  /** A receipt for a request of this node: the sender hears, and the message's event goes out. */
  onReceipt(e: ReceiptEvent, sent?: ReplyTarget): void {
    const { reply } = e;
    // A receipt from another node is a copy: the reply target this node sent is in Unreceipted.
    if (!sent && this.parked.away.size > 0) sent = this.parked.away.settled(e)?.d.reply;
    const writing = this.historyWrites.size > 0 ? this.historyWrites.get(reply.mid) : undefined;
    if (writing) {
      writing.then(
        () => this.onReceipt(e, sent ?? reply),
        () => this.historyFailed(e, sent),
      );
      return;
    }
    const sender = this.hub.bySessionId(reply.sid);
    if (sender)
      this.hub.tell(sender, {
        t: 'ok',
        i: reply.i,
        r: { recv: e.recv, mid: reply.mid, ts: reply.ts },
      });
    else if (this.restWaiters.size > 0) this.restWaiters.get(reply.sid)?.(e);
    this.outcomes.emit(e, sent);
  }

  /** The history could not keep a message: its SDK sender hears so (a REST sender's call fails). */
  private historyFailed(e: ReceiptEvent, sent: ReplyTarget | undefined): void {
    const sender = this.hub.bySessionId(e.reply.sid);
    if (sender)
      this.hub.tell(sender, {
        t: 'err',
        i: e.reply.i,
        c: PeerMessageError.FAILURE,
        m: 'sendMessageToPeer: the message history could not keep the message',
      });
    this.outcomes.emit(e, sent);
  }

  /** The session moves away with its unacknowledged messages: their receipts come back as JSON. */
  handOff(session: Session): undefined {
    for (const reply of session.pendingReplies()) this.outcomes.keepAway(reply);
    return undefined;
  }

  /** Forgets messages whose receipt will not come (their receiver's node died). */
  sweep(now: number, olderThanMs: number): void {
    this.parked.away.sweep(now, olderThanMs);
    this.outcomes.sweep(now, olderThanMs);
  }
}

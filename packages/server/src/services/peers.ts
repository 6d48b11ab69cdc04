/**
 * peers: peer-to-peer messages. A message goes to the node holding the receiver, which pushes
 * it and, once the receiver's SDK acknowledges it, tells the sender `recv: true`. A receiver
 * nobody holds is offline: the message is stored if the sender asked for offline messaging,
 * and the sender hears `recv: false`.
 *
 * The sender's node keeps nothing per message: the receipt names the request it answers. Only
 * while someone listens to `peer.message` events does it keep each message until its receipt,
 * to emit the event with the outcome.
 */
import { PeerMessageError, type Clock, type PeerSendReq } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { EventStream, MessageSource, PeerOutcome } from '../events.js';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService, type UserEvent } from '../service.js';
import type { ReplyTarget, Session } from '../session.js';
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

/** A message kept until its receipt, for its `peer.message` event. */
interface Inflight {
  app: string;
  from: string;
  to: string;
  msg: StoredMessage;
  source: MessageSource;
}

const PEER = op(PeerMessageError.TIMEOUT, PeerMessageError.FAILURE);

export class Peers implements SessionService {
  readonly name = 'peers';
  readonly ops = { psend: PEER, ack: PEER };
  readonly userEvents = ['msg'] as const;
  private counter = 0;
  private readonly inflight = new Map<string, Inflight>();

  constructor(
    private readonly backend: Backend,
    private readonly node: string,
    private readonly hub: Hub,
    private readonly router: UserRouter,
    private readonly events: EventStream,
    private readonly clock: Clock,
  ) {}

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    if (f.t === 'psend') return this.sendMessage(session, f, now);
    if (f.t === 'ack') {
      const { offlineMids, replies } = session.ack(f.s);
      if (offlineMids.length || replies.length)
        await this.acknowledged(session, offlineMids, replies);
    }
  }

  private nextMid(): string {
    return `${this.node}.${(++this.counter).toString(36)}`;
  }

  async sendMessage(session: Session, req: PeerSendReq, now: number): Promise<void> {
    if (!session.sendRate.take(now)) {
      this.hub.tell(session, {
        t: 'err',
        i: req.i,
        c: PeerMessageError.TOO_OFTEN,
        m: 'sendMessageToPeer: more than the allowed messages per window; slow down',
      });
      return;
    }
    const msg: StoredMessage = { mid: this.nextMid(), from: session.uid, m: req.m, ts: now };
    const reply: ReplyTarget = {
      node: this.node,
      sid: session.sid,
      i: req.i,
      mid: msg.mid,
      ts: now,
    };
    if (this.events.wants('peer.message'))
      this.inflight.set(msg.mid, {
        app: session.app,
        from: session.uid,
        to: req.to,
        msg,
        source: 'sdk',
      });
    const delivery: PeerDelivery = { t: 'msg', msg, off: req.off === true, reply };
    const holder = this.hub.byUserId(session.app, req.to);
    if (holder && !holder.ended) {
      // Same node: no broker hop (and it keeps working while the broker is away).
      this.deliver(holder, delivery);
      return;
    }
    const receivers = await this.router.toUser(session.app, req.to, delivery);
    if (receivers === 0) await this.offline(session.app, req.to, delivery);
  }

  /** A delivery routed to a user: pushed to its session here, or kept offline if it has none. */
  onUserEvent(app: string, uid: string, holder: Session | undefined, event: UserEvent): void {
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
    const frame = { t: 'msg' as const, mid: d.msg.mid, f: d.msg.from, m: d.msg.m, ts: d.msg.ts };
    if (!session.attached) {
      // Reconnecting: the message waits in the outbox for the resume; the sender hears now.
      this.hub.push(session, frame);
      void this.settle(d.reply, false, 'pending');
      return;
    }
    if (!this.hub.push(session, frame, { reply: d.reply })) void this.settle(d.reply, false);
  }

  /** Pushes the messages kept while the user was offline, oldest first. */
  async deliverStored(session: Session): Promise<void> {
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
    offlineMids: string[],
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
  onReceipt(e: ReceiptEvent): void {
    const { reply } = e;
    const sender = this.hub.bySessionId(reply.sid);
    if (sender)
      this.hub.tell(sender, {
        t: 'ok',
        i: reply.i,
        r: { recv: e.recv, mid: reply.mid, ts: reply.ts },
      });
    if (this.inflight.size === 0) return;
    const m = this.inflight.get(reply.mid);
    if (!m) return;
    this.inflight.delete(reply.mid);
    const outcome: PeerOutcome = e.recv ? 'delivered' : (e.why ?? 'dropped');
    this.events.emit({
      type: 'peer.message',
      app: m.app,
      ts: this.clock.now(),
      mid: m.msg.mid,
      from: m.from,
      to: m.to,
      message: m.msg.m,
      sentTs: m.msg.ts,
      source: m.source,
      outcome,
    });
  }

  /** Forgets messages whose receipt will not come (their receiver's node died). */
  sweep(now: number, olderThanMs: number): void {
    for (const [mid, m] of this.inflight) {
      if (now - m.msg.ts < olderThanMs) break;
      this.inflight.delete(mid);
    }
  }
}

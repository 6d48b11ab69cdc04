/**
 * peers: peer-to-peer messages. A message goes to the node holding the receiver, which
 * pushes it and, once the receiver's SDK acknowledges it, tells the sender
 * `recv: true`. A receiver nobody holds is offline: the message is stored if the sender asked
 * for offline messaging, and the sender hears `recv: false`.
 */
import { PeerMessageError, type PeerSendReq } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { ReplyTarget, Session } from '../session.js';
import { nodeTopic } from '../topics.js';

/** What is routed to the receiver's node for a peer message. */
export interface PeerDelivery {
  t: 'msg';
  msg: StoredMessage;
  off: boolean;
  reply: ReplyTarget;
}

/** What travels on a node topic to settle a sender's request. */
export interface ReceiptEvent {
  t: 'recv';
  reply: ReplyTarget;
  recv: boolean;
}

/** What this node knows locally, so same-node traffic needs no broker round trip. */
export interface LocalRoutes {
  /** The live session of (app, uid) on this node, if any. */
  user(app: string, uid: string): Session | undefined;
  /** Settles a sender's request held on this node. */
  receipt(e: ReceiptEvent): void;
  /** Sends a delivery to the node holding (app, uid); answers 0 when none does. */
  route(app: string, uid: string, d: PeerDelivery): Promise<number>;
}

export class Peers {
  private counter = 0;
  private local: LocalRoutes | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly node: string,
  ) {}

  /** Enables the same-node fast path (called once the session index exists). */
  setLocalRoutes(local: LocalRoutes): void {
    this.local = local;
  }

  private nextMid(): string {
    return `${this.node}.${(++this.counter).toString(36)}`;
  }

  async send(session: Session, req: PeerSendReq, now: number): Promise<void> {
    if (!session.sendRate.take(now)) {
      session.send({
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
    const delivery: PeerDelivery = { t: 'msg', msg, off: req.off === true, reply };
    const holder = this.local?.user(session.app, req.to);
    if (holder && !holder.ended) {
      // Same node: no broker hop (and it keeps working while the broker is away).
      this.deliver(holder, delivery);
      return;
    }
    const receivers = (await this.local?.route(session.app, req.to, delivery)) ?? 0;
    if (receivers === 0) await this.offline(session.app, req.to, delivery);
  }

  /** The receiver is offline: keep the message if asked, and tell the sender it was not received. */
  async offline(app: string, to: string, d: PeerDelivery): Promise<void> {
    if (d.off) await this.backend.offline.putOffline(app, to, d.msg);
    await this.settle(d.reply, false);
  }

  /** Pushes a delivery to the local session of its receiver. */
  deliver(session: Session, d: PeerDelivery): void {
    const frame = { t: 'msg' as const, mid: d.msg.mid, f: d.msg.from, m: d.msg.m, ts: d.msg.ts };
    if (!session.attached) {
      // Reconnecting: the message waits in the outbox for the resume; the sender hears now.
      session.push(frame);
      void this.settle(d.reply, false);
      return;
    }
    if (!session.push(frame, { reply: d.reply })) void this.settle(d.reply, false);
  }

  /** Pushes the messages kept while the user was offline, oldest first. */
  async deliverStored(session: Session): Promise<void> {
    const stored = await this.backend.offline.listOffline(session.app, session.uid);
    for (const m of stored) {
      session.push(
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

  async settle(reply: ReplyTarget, recv: boolean): Promise<void> {
    const e: ReceiptEvent = { t: 'recv', reply, recv };
    if (reply.node === this.node && this.local) this.local.receipt(e);
    else await this.backend.broker.publish(nodeTopic(reply.node), e);
  }
}

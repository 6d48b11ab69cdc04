/**
 * Unreceipted: the peer messages this node routed to another node that have not been settled
 * there yet. Until the receiver's SDK acknowledges one, the receiving node holds it in memory
 * only (the session's outbox); if that node dies first, the sender's node is the only one left
 * with the message. So it keeps each such message until its receipt says the receiver has it
 * (or that it was stored offline, or that nobody holds the receiver) — a `pending` receipt (the
 * receiver was reconnecting there) answers the sender but keeps the message, since it still
 * sits in that node's memory only.
 *
 * When the receiving node is found dead (a publish to it reached nobody, its liveness lapsed, or
 * one of its users landed on this node and the kick of its old session went unheard), `take`
 * hands back what is still kept for it, in the order it was sent, to be parked for the
 * receivers. A message delivered after all comes twice at most; the SDK drops an id it has seen.
 */
import type { ReceiptEvent, PeerDelivery } from './peers.js';

/** A message routed to another node, kept until its receipt. */
export interface AwayMessage {
  app: string;
  to: string;
  d: PeerDelivery;
  /** The node it was routed to. */
  node: string;
  /** The sender has been answered already (a `pending` receipt came). */
  answered: boolean;
}

export class Unreceipted {
  /** By message id, in the order the messages were routed (their `ts` order too). */
  private readonly byMid = new Map<string, AwayMessage>();

  get size(): number {
    return this.byMid.size;
  }

  /** `d` is about to be published to `node`, which holds its receiver. */
  routed(node: string, app: string, to: string, d: PeerDelivery): void {
    this.byMid.set(d.msg.mid, { app, to, d, node, answered: false });
  }

  /** Forgets a message (its publish reached nobody: the caller parks it itself). */
  forget(mid: string): AwayMessage | undefined {
    const m = this.byMid.get(mid);
    this.byMid.delete(mid);
    return m;
  }

  /** A receipt came for a message of this node. */
  settled(e: ReceiptEvent): void {
    const m = this.byMid.get(e.reply.mid);
    if (!m) return;
    if (!e.recv && e.why === 'pending') m.answered = true;
    else this.byMid.delete(e.reply.mid);
  }

  /** Takes (and forgets) what is kept for `node`, oldest first. */
  take(node: string): AwayMessage[] {
    const out: AwayMessage[] = [];
    for (const [mid, m] of this.byMid)
      if (m.node === node) {
        out.push(m);
        this.byMid.delete(mid);
      }
    return out;
  }

  /**
   * Forgets messages older than `olderThanMs`: by then their receiver's resume window has
   * passed, so a dead node's users are offline and a park would come too late.
   */
  sweep(now: number, olderThanMs: number): void {
    for (const [mid, m] of this.byMid) {
      if (now - m.d.msg.ts < olderThanMs) break;
      this.byMid.delete(mid);
    }
  }
}

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
 *
 * Kept in slots of an array, not a Map by message id: the slot's number rides in the message's
 * reply target (`k`), so its receipt finds it. A Map written and deleted for every message kept
 * garbage alive through scavenges (bench/README P14); freed slots are reused.
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
  /** Routing order (slots are reused, so their order is not it). */
  seq: number;
}

export class Unreceipted {
  private readonly slots: (AwayMessage | undefined)[] = [];
  private readonly free: number[] = [];
  private count = 0;
  private routedSoFar = 0;

  get size(): number {
    return this.count;
  }

  /** `d` is about to be published to `node`, which holds its receiver. */
  routed(node: string, app: string, to: string, d: PeerDelivery): void {
    const k = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.slots[k] = { app, to, d, node, answered: false, seq: ++this.routedSoFar };
    d.reply.k = k;
    this.count++;
  }

  /** Forgets a message (its publish reached nobody: the caller parks it itself). */
  forget(d: PeerDelivery): AwayMessage | undefined {
    return this.release(d.reply.k, d.msg.mid);
  }

  /**
   * A receipt came for a message of this node: answers what was kept for it (its delivery is
   * the one this node sent: its reply target is the sender's own object, not the receipt's copy).
   */
  settled(e: ReceiptEvent): AwayMessage | undefined {
    const m = this.at(e.reply.k, e.reply.mid);
    if (!m) return undefined;
    if (!e.recv && e.why === 'pending') m.answered = true;
    else this.release(e.reply.k, e.reply.mid);
    return m;
  }

  /** Takes (and forgets) what is kept for `node`, oldest first. */
  take(node: string): AwayMessage[] {
    const out: AwayMessage[] = [];
    for (let k = 0; k < this.slots.length; k++) {
      const m = this.slots[k];
      if (m?.node === node) {
        out.push(m);
        this.release(k, m.d.msg.mid);
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Forgets messages older than `olderThanMs`: by then their receiver's resume window has
   * passed, so a dead node's users are offline and a park would come too late.
   */
  sweep(now: number, olderThanMs: number): void {
    if (this.count === 0) return;
    for (let k = 0; k < this.slots.length; k++) {
      const m = this.slots[k];
      if (m && now - m.d.msg.ts >= olderThanMs) this.release(k, m.d.msg.mid);
    }
  }

  /** The message kept in slot `k`, if it is `mid` (a receipt from elsewhere may name any slot). */
  private at(k: number | undefined, mid: string): AwayMessage | undefined {
    if (k === undefined || !Number.isInteger(k) || k < 0 || k >= this.slots.length)
      return undefined;
    const m = this.slots[k];
    return m?.d.msg.mid === mid ? m : undefined;
  }

  private release(k: number | undefined, mid: string): AwayMessage | undefined {
    const m = this.at(k, mid);
    if (!m) return undefined;
    this.slots[k!] = undefined;
    this.free.push(k!);
    this.count--;
    return m;
  }
}

/**
 * The `peer.message` event of each peer message this node took, emitted once with its outcome
 * when the receipt comes. While someone listens to the event, what it needs rides on the
 * message's reply target (a symbol: JSON leaves it out). A receipt here brings that object
 * back; one from another node finds it via Unreceipted (`k`); only a session taken over by
 * another node keeps it in a Map by id (`keepAway`). Not a Map entry per message: that kept
 * ~1 MB alive through every scavenge (bench/README P14).
 */
import type { Clock } from '@parley/protocol';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { EventStream, MessageSource, PeerOutcome } from '../events.js';
import type { ReplyTarget } from '../session.js';

/** A message's `peer.message` event data, kept until its receipt. */
interface Inflight {
  app: string;
  from: string;
  to: string;
  msg: StoredMessage;
  source: MessageSource;
}

const OUTCOME = Symbol('peer.message outcome');
type Tracked = ReplyTarget & { [OUTCOME]?: Inflight | undefined };

export class PeerOutcomes {
  /** Event data of messages whose session moved to another node, by message id. */
  private readonly inflight = new Map<string, Inflight>();

  constructor(
    private readonly node: string,
    private readonly events: EventStream,
    private readonly clock: Clock,
  ) {}

  /** Where the receipt of `msg` goes (request `i` of session `sid`), with its event's data. */
  replyTarget(
    sid: string,
    i: number,
    app: string,
    to: string,
    msg: StoredMessage,
    source: MessageSource,
  ): ReplyTarget {
    const reply: Tracked = {
      node: this.node,
      sid,
      i,
      mid: msg.mid,
      ts: msg.ts,
      [OUTCOME]: this.events.wants('peer.message')
        ? { app, from: msg.from, to, msg, source }
        : undefined,
    };
    return reply;
  }

  /** Its receipt will come as a copy, and not through Unreceipted: kept by id. */
  keepAway(reply: ReplyTarget): void {
    const m = (reply as Tracked)[OUTCOME];
    if (m) this.inflight.set(reply.mid, m);
  }

  /** `sent`: the reply target as this node made it, when the receipt `e` is a copy. */
  emit(e: { reply: ReplyTarget; recv: boolean; why?: PeerOutcome }, sent?: ReplyTarget): void {
    const reply: Tracked = sent ?? e.reply;
    let m = reply[OUTCOME];
    if (m) reply[OUTCOME] = undefined; // once: a later receipt for it emits nothing
    if (this.inflight.size > 0) {
      const kept = this.inflight.get(reply.mid);
      if (kept) {
        this.inflight.delete(reply.mid);
        m ??= kept;
      }
    }
    if (!m) return;
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

  /** Forgets the kept data of messages older than `olderThanMs` (their receipt will not come). */
  sweep(now: number, olderThanMs: number): void {
    for (const [mid, m] of this.inflight) {
      if (now - m.msg.ts < olderThanMs) break;
      this.inflight.delete(mid);
    }
  }
}

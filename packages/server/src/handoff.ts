/**
 * Handoff: a client whose socket lands on another node (its node died, or the load balancer
 * sent its reconnect elsewhere) resumes its session there. The new node asks the node holding
 * the session for it; that node stops serving it (no presence change, no channel left) and
 * answers a snapshot: the delivery sequence, the unacknowledged frames, the channels and
 * subscriptions. A holder that does not answer in time (dead) leaves the client a fresh session.
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import type { Broker } from './backend/broker.js';
import type { SessionSnapshot } from './session.js';
import { nodeTopic } from './topics.js';

/** Asks the holding node for session `sid`, to be answered on node `to`. */
export interface TakeRequest {
  t: 'take';
  sid: string;
  rid: number;
  to: string;
}

/** The answer: the session's snapshot, or null when the node no longer has it. */
export interface TakeReply {
  t: 'given';
  rid: number;
  state: SessionSnapshot | null;
}

export class Handoffs {
  private counter = 0;
  private readonly waiting = new Map<number, (state: SessionSnapshot | null) => void>();

  constructor(
    private readonly broker: Broker,
    private readonly node: string,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  /** Asks `holder` for session `sid`; answers undefined if it has none or does not answer in time. */
  async take(holder: string, sid: string): Promise<SessionSnapshot | undefined> {
    const rid = ++this.counter;
    let timer: TimerHandle | undefined;
    const answer = new Promise<SessionSnapshot | null>((resolve) => {
      this.waiting.set(rid, resolve);
      timer = this.clock.setTimeout(() => resolve(null), this.timeoutMs);
      timer.unref?.();
    });
    const req: TakeRequest = { t: 'take', sid, rid, to: this.node };
    const heard = await this.broker.publish(nodeTopic(holder), req).catch(() => 0);
    if (heard === 0) this.waiting.get(rid)?.(null);
    const state = await answer;
    this.clock.clear(timer);
    this.waiting.delete(rid);
    return state ?? undefined;
  }

  /** A holder answered; false when nobody waits for it any more (it came too late). */
  given(reply: TakeReply): boolean {
    const waiter = this.waiting.get(reply.rid);
    if (!waiter) return false;
    this.waiting.delete(reply.rid);
    waiter(reply.state);
    return true;
  }

  /** Answers a take request of another node. */
  async give(req: TakeRequest, state: SessionSnapshot | null): Promise<void> {
    const reply: TakeReply = { t: 'given', rid: req.rid, state };
    await this.broker.publish(nodeTopic(req.to), reply);
  }
}

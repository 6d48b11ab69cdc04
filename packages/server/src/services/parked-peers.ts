/**
 * Parked peer messages: those for a user whose node died, kept in the backend's ParkedEvents
 * for the user's resume window and delivered, once and in order, by the node the user lands
 * on — before anything routed to its new session meanwhile.
 *
 * Two ways in: a message whose publish reached nobody (the holder's node is gone), and the
 * messages this node had routed to a node that then died before settling them (`Unreceipted`),
 * parked as soon as the death shows: a publish unheard, the node's liveness lapsed, or one of
 * its users landed here and the kick of its old session went unheard. Other services park
 * their user events in the same list (invitation pushes): the landing hands those to their
 * handler, in their place in the order.
 */
import type { Backend } from '../backend/backend.js';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { Hub } from '../hub.js';
import type { UserEvent } from '../service.js';
import type { ReplyTarget, Session } from '../session.js';
import type { UserRouter } from '../user-router.js';
import type { NotReceived, PeerDelivery } from './peers.js';
import { Unreceipted, type AwayMessage } from './unreceipted.js';

/** A parked peer message; `off`: flagged, and in the offline store too. */
type ParkedMessage = StoredMessage & { off?: 1 };

/** What parking needs of the peers service. */
export interface PeerPaths {
  settle(reply: ReplyTarget, recv: boolean, why?: NotReceived): Promise<void>;
  offline(app: string, to: string, d: PeerDelivery): Promise<void>;
  deliver(session: Session, d: PeerDelivery): void;
  route(app: string, to: string, d: PeerDelivery): Promise<boolean>;
}

export class ParkedPeers {
  /** Messages routed to other nodes, until their receipts. */
  readonly away = new Unreceipted();
  /** Sessions starting on this node: their deliveries wait until the parked ones are out. */
  private readonly landing = new Map<Session, PeerDelivery[]>();

  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly router: UserRouter,
    private readonly peers: PeerPaths,
    /** How long messages for a user whose node died wait for the user (its resume window). */
    private readonly ttlMs: number,
  ) {
    router.watchAway('msg', {
      routed: (node, app, uid, e) => this.away.routed(node, app, uid, e as PeerDelivery),
      dropped: (e) => void this.away.forget(e as PeerDelivery),
    });
  }

  /**
   * A publish of `d` reached nobody (the receiver's node died). What went to that node before
   * and has no receipt is parked first, all issued in one go so that the parks keep their
   * order on the store's connection; then `d` (a flagged one to the offline store, as for an
   * offline user). Answers whether `d` was parked.
   */
  async unheard(app: string, to: string, d: PeerDelivery): Promise<boolean> {
    const dead = this.away.forget(d)?.node;
    const earlier = dead === undefined ? [] : this.away.take(dead).map((m) => this.parkAway(m));
    const now = d.off ? this.peers.offline(app, to, d) : this.park(app, to, d);
    await Promise.all([...earlier, now]);
    return !d.off;
  }

  /** A node stopped listening: what it had not settled of this node's messages is parked. */
  async nodeSilent(node: string): Promise<void> {
    if (this.away.size > 0) await Promise.all(this.away.take(node).map((m) => this.parkAway(m)));
  }

  /**
   * The message waits in the backend for the node the user lands on; the sender hears
   * "pending" (unless it has already).
   */
  private async park(app: string, to: string, d: PeerDelivery, answered = false): Promise<void> {
    await this.backend.parked.park(app, to, d.msg, this.ttlMs);
    if (!answered) await this.peers.settle(d.reply, false, 'pending');
    // Landed meanwhile (its node took the list before this park): that node takes it now.
    await this.router.toUser(app, to, { t: 'parked' });
  }

  /**
   * A message the dead node had not settled. A flagged one is also stored offline (in case the
   * user lands after the park expired), and parked marked so its ack deletes the stored copy.
   */
  private async parkAway(m: AwayMessage): Promise<void> {
    const { app, to, d } = m;
    if (!d.off) return this.park(app, to, d, m.answered);
    const parked: ParkedMessage = { ...d.msg, off: 1 };
    await Promise.all([
      this.backend.offline.putOffline(app, to, d.msg),
      this.backend.parked.park(app, to, parked, this.ttlMs),
    ]);
    if (!m.answered) await this.peers.settle(d.reply, false, 'stored');
    await this.router.toUser(app, to, { t: 'parked' });
  }

  /** A fresh session: from now until `land`, deliveries to it queue behind the parked ones. */
  beginLanding(session: Session): void {
    this.landing.set(session, []);
  }

  /** The queue of a session landing now, if it is. */
  queueOf(session: Session): PeerDelivery[] | undefined {
    return this.landing.size > 0 ? this.landing.get(session) : undefined;
  }

  /** Delivers the messages parked for the user while its node was dead, then those queued. */
  async land(session: Session): Promise<void> {
    try {
      // A failed take leaves the list (one transaction): the next login takes it.
      if (!session.ended) await this.deliverParked(session).catch(() => undefined);
    } finally {
      const queued = this.landing.get(session) ?? [];
      this.landing.delete(session);
      // A session replaced before it went live: its deliveries follow the user.
      for (const d of queued)
        if (!session.ended) this.peers.deliver(session, d);
        else
          void this.peers
            .route(session.app, session.uid, d)
            .catch(() => this.peers.settle(d.reply, false));
    }
  }

  /** Something was parked for `holder` after it landed: it takes it now. */
  nudged(holder: Session): void {
    if (!this.landing.has(holder)) this.deliverParked(holder).catch(() => undefined);
  }

  private async deliverParked(session: Session): Promise<void> {
    for (const e of await this.backend.parked.take(session.app, session.uid)) {
      // Another service's user event (an invitation push): to its handler.
      if ((e as Partial<UserEvent>).t !== undefined) {
        this.router.handleHere(session, e as UserEvent);
        continue;
      }
      const m = e as ParkedMessage;
      const frame = { t: 'msg' as const, mid: m.mid, f: m.from, m: m.m, ts: m.ts };
      if (m.off) this.hub.push(session, frame, { off: true, offlineMid: m.mid });
      else this.hub.push(session, frame);
    }
  }
}

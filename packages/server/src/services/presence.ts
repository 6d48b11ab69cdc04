/**
 * presence: online state of users, its query, and subscriptions to it. A change is published
 * on the user's presence topic; each node pushes it to its local subscribers.
 */
import {
  Limits,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  type PeerState,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';
import { TopicWatchers } from '../topic-watchers.js';
import { presenceTopic } from '../topics.js';

interface PresenceEvent {
  uid: string;
  state: PeerState;
}

const SUBSCRIBE = op(PeerSubscriptionStatusError.TIMEOUT, PeerSubscriptionStatusError.FAILURE);
/** queryPeersOnlineStatus's table has no FAILURE; REJECTED is its server-side refusal. */
const QUERY = op(QueryPeersOnlineStatusError.TIMEOUT, QueryPeersOnlineStatusError.REJECTED);
const LIST = op(
  QueryPeersBySubscriptionOptionError.TIMEOUT,
  QueryPeersBySubscriptionOptionError.FAILURE,
);

export class Presence implements SessionService {
  readonly name = 'presence';
  readonly ops = { pquery: QUERY, psub: SUBSCRIBE, punsub: SUBSCRIBE, plist: LIST };
  /** Local subscribers by presence topic. */
  private readonly watchers: TopicWatchers<PresenceEvent>;

  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
  ) {
    // A computed key defines an own property, `__proto__` included.
    this.watchers = new TopicWatchers(backend.broker, (s, e) =>
      hub.push(s, { t: 'pst', st: { [e.uid]: e.state } }),
    );
  }

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    const refuse = (i: number, c: number, m: string) =>
      this.hub.tell(session, { t: 'err', i, c, m });
    switch (f.t) {
      case 'pquery': {
        const { signalingQueryRateCount: sigCount, signalingQueryRateWindowMs: sigMs } = Limits;
        const allowed = f.sig
          ? session.rate('pquery-sig', sigCount, sigMs).take(now)
          : session.rate('pquery', Limits.queryRateCount, Limits.queryRateWindowMs).take(now);
        if (!allowed)
          return refuse(
            f.i,
            QueryPeersOnlineStatusError.TOO_OFTEN,
            f.sig
              ? `user_query_user_status: more than ${sigCount} queries per ${sigMs / 1000} s`
              : `queryPeersOnlineStatus: more than ${Limits.queryRateCount} calls per ${Limits.queryRateWindowMs / 1000} s`,
          );
        const st = await this.query(session.app, f.ids);
        return this.hub.tell(session, { t: 'ok', i: f.i, r: { st } });
      }
      case 'psub': {
        if (!this.subscribeRate(session, 'psub', now))
          return refuse(
            f.i,
            PeerSubscriptionStatusError.TOO_OFTEN,
            `subscribePeersOnlineStatus: more than ${Limits.subscribeRateCount} calls per ${Limits.subscribeRateWindowMs / 1000} s`,
          );
        const fresh = new Set(f.ids.filter((id) => !session.subscriptions.has(id)));
        const total = session.subscriptions.size + fresh.size;
        if (total > Limits.maxSubscriptions)
          return refuse(
            f.i,
            PeerSubscriptionStatusError.OVERFLOW,
            `peerIds: ${total} subscriptions; the limit is ${Limits.maxSubscriptions}`,
          );
        // The snapshot is the state when the call is answered; it arrives after the reply.
        const st = await this.subscribe(session, f.ids);
        this.hub.tell(session, { t: 'ok', i: f.i });
        this.hub.push(session, { t: 'pst', st });
        return;
      }
      case 'punsub':
        if (!this.subscribeRate(session, 'punsub', now))
          return refuse(
            f.i,
            PeerSubscriptionStatusError.TOO_OFTEN,
            `unsubscribePeersOnlineStatus: more than ${Limits.subscribeRateCount} calls per ${Limits.subscribeRateWindowMs / 1000} s`,
          );
        for (const id of f.ids)
          if (session.removeSubscription(id))
            await this.watchers.unwatch(presenceTopic(session.app, id), session);
        return this.hub.tell(session, { t: 'ok', i: f.i });
      case 'plist':
        if (!this.subscribeRate(session, 'plist', now))
          return refuse(
            f.i,
            QueryPeersBySubscriptionOptionError.TOO_OFTEN,
            `queryPeersBySubscriptionOption: more than ${Limits.subscribeRateCount} calls per ${Limits.subscribeRateWindowMs / 1000} s`,
          );
        return this.hub.tell(session, { t: 'ok', i: f.i, r: { ids: [...session.subscriptions] } });
    }
  }

  private subscribeRate(session: Session, name: string, now: number): boolean {
    return session.rate(name, Limits.subscribeRateCount, Limits.subscribeRateWindowMs).take(now);
  }

  async announce(app: string, uid: string, state: PeerState): Promise<void> {
    if (state !== 'OFFLINE') await this.backend.users.setPresence(app, uid, state);
    await this.backend.broker.publish(presenceTopic(app, uid), {
      uid,
      state,
    } satisfies PresenceEvent);
  }

  /** Whether each user is online; like RTM, a query never says UNREACHABLE. */
  async query(app: string, ids: readonly string[]): Promise<Record<string, boolean>> {
    const states = await this.backend.users.getPresence(app, ids);
    const out = new Map<string, boolean>();
    ids.forEach((id, k) => out.set(id, states[k] !== 'OFFLINE'));
    return Object.fromEntries(out);
  }

  /**
   * Subscribes: changes are watched from now on, and the answer is the peers' states now, the
   * snapshot to push once the caller has replied.
   */
  private async subscribe(
    session: Session,
    ids: readonly string[],
  ): Promise<Record<string, PeerState>> {
    for (const id of ids) {
      if (session.subscriptions.has(id)) continue;
      session.addSubscription(id);
      await this.watchers.watch(presenceTopic(session.app, id), session);
    }
    const states = await this.backend.users.getPresence(session.app, ids);
    const st = new Map<string, PeerState>();
    ids.forEach((id, k) => st.set(id, states[k]!));
    return Object.fromEntries(st);
  }

  /** Watches again what a session moved here from another node subscribed to. */
  async rewatch(session: Session): Promise<void> {
    for (const id of session.subscriptions)
      await this.watchers.watch(presenceTopic(session.app, id), session);
  }

  /** Drops every subscription of an ending session. */
  async dropAll(session: Session): Promise<void> {
    for (const id of session.subscriptions)
      await this.watchers.unwatch(presenceTopic(session.app, id), session);
    session.clearSubscriptions();
  }
}

/**
 * presence: online state of users and subscriptions to it. A change is published on the
 * user's presence topic; each node pushes it to its local subscribers.
 */
import { PeerSubscriptionStatusError, type PeerState } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { Session } from '../session.js';
import { TopicWatchers } from '../topic-watchers.js';
import { presenceTopic } from '../topics.js';

interface PresenceEvent {
  uid: string;
  state: PeerState;
}

export class Presence {
  /** Local subscribers by presence topic. */
  private readonly watchers: TopicWatchers<PresenceEvent>;

  constructor(
    private readonly backend: Backend,
    private readonly maxSubscriptions: number,
  ) {
    this.watchers = new TopicWatchers(backend.broker, (s, e) =>
      s.push({ t: 'pst', st: { [e.uid]: e.state } }),
    );
  }

  async announce(app: string, uid: string, state: PeerState): Promise<void> {
    if (state !== 'OFFLINE') await this.backend.users.setPresence(app, uid, state);
    await this.backend.broker.publish(presenceTopic(app, uid), {
      uid,
      state,
    } satisfies PresenceEvent);
  }

  async query(app: string, ids: readonly string[]): Promise<Record<string, boolean>> {
    const states = await this.backend.users.getPresence(app, ids);
    const out: Record<string, boolean> = {};
    // Like RTM, a query never says UNREACHABLE: a user holding a session is online.
    ids.forEach((id, k) => (out[id] = states[k] !== 'OFFLINE'));
    return out;
  }

  /** Answers the error a subscription to `ids` would meet, if any. */
  subscribeCheck(
    session: Session,
    ids: readonly string[],
  ): { code: number; message: string } | undefined {
    const fresh = new Set(ids.filter((id) => !session.subscriptions.has(id)));
    const total = session.subscriptions.size + fresh.size;
    if (total > this.maxSubscriptions)
      return {
        code: PeerSubscriptionStatusError.OVERFLOW,
        message: `peerIds: ${total} subscriptions; the limit is ${this.maxSubscriptions}`,
      };
    return undefined;
  }

  /** Subscribes (after `subscribeCheck`) and pushes the peers' current states. */
  /**
   * Subscribes (after `subscribeCheck`): changes are watched from now on, and the answer is the
   * peers' states now, the snapshot to push once the caller has replied.
   */
  async subscribe(session: Session, ids: readonly string[]): Promise<Record<string, PeerState>> {
    for (const id of ids) {
      if (session.subscriptions.has(id)) continue;
      session.addSubscription(id);
      await this.watchers.watch(presenceTopic(session.app, id), session);
    }
    const states = await this.backend.users.getPresence(session.app, ids);
    const st: Record<string, PeerState> = {};
    ids.forEach((id, k) => (st[id] = states[k]!));
    return st;
  }

  async unsubscribe(session: Session, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (session.removeSubscription(id))
        await this.watchers.unwatch(presenceTopic(session.app, id), session);
    }
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

/**
 * Local sessions watching broker topics: the node subscribes to a topic while at least one of
 * its sessions watches it, and hands each payload to every watcher. Presence and user-metadata
 * subscriptions are both this.
 */
import type { Broker } from './backend/broker.js';
import type { Session } from './session.js';

export class TopicWatchers<P> {
  private readonly watchers = new Map<string, Set<Session>>();

  constructor(
    private readonly broker: Broker,
    private readonly deliver: (session: Session, payload: P) => void,
  ) {}

  async watch(topic: string, session: Session): Promise<void> {
    let set = this.watchers.get(topic);
    if (!set) {
      const created = new Set<Session>();
      set = created;
      this.watchers.set(topic, created);
      await this.broker.subscribe(topic, (payload) => {
        for (const s of created) this.deliver(s, payload as P);
      });
    }
    set.add(session);
  }

  async unwatch(topic: string, session: Session): Promise<void> {
    const set = this.watchers.get(topic);
    if (!set) return;
    set.delete(session);
    if (set.size === 0) {
      this.watchers.delete(topic);
      await this.broker.unsubscribe(topic);
    }
  }
}

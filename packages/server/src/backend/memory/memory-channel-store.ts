import type { ChannelStore } from '../channel-store.js';

/** Channel membership in memory, for the one-node embedded default. */
export class MemoryChannelStore implements ChannelStore {
  /** `app/channel` → members, in join order. */
  private readonly membership = new Map<string, Set<string>>();

  join(app: string, channel: string, uid: string): Promise<{ added: boolean; count: number }> {
    const key = app + '/' + channel;
    let set = this.membership.get(key);
    if (!set) {
      set = new Set();
      this.membership.set(key, set);
    }
    const added = !set.has(uid);
    set.add(uid);
    return Promise.resolve({ added, count: set.size });
  }

  leave(app: string, channel: string, uid: string): Promise<{ removed: boolean; count: number }> {
    const key = app + '/' + channel;
    const set = this.membership.get(key);
    const removed = set?.delete(uid) ?? false;
    if (set && set.size === 0) this.membership.delete(key);
    return Promise.resolve({ removed, count: set?.size ?? 0 });
  }

  /** The latest `limit` members to join, latest first (a Set keeps insertion order). */
  members(app: string, channel: string, limit: number): Promise<string[]> {
    const all = [...(this.membership.get(app + '/' + channel) ?? [])];
    return Promise.resolve(all.slice(Math.max(0, all.length - limit)).reverse());
  }

  channelsOf(app: string, uid: string): Promise<string[]> {
    const out: string[] = [];
    const prefix = app + '/';
    for (const [key, set] of this.membership)
      if (key.startsWith(prefix) && set.has(uid)) out.push(key.slice(prefix.length));
    return Promise.resolve(out);
  }

  counts(app: string, channels: readonly string[]): Promise<number[]> {
    return Promise.resolve(channels.map((c) => this.membership.get(app + '/' + c)?.size ?? 0));
  }
}

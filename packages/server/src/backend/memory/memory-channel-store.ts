import type { AttributeMap, AttributeOwner, ChannelStore } from '../channel-store.js';

/** Channel membership and attributes in memory, for the one-node embedded default. */
export class MemoryChannelStore implements ChannelStore {
  private readonly membership = new Map<string, Set<string>>();
  private readonly attributes = new Map<string, AttributeMap>();

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

  members(app: string, channel: string, limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const uid of this.membership.get(app + '/' + channel) ?? []) {
      if (out.length >= limit) break;
      out.push(uid);
    }
    return Promise.resolve(out);
  }

  counts(app: string, channels: readonly string[]): Promise<number[]> {
    return Promise.resolve(channels.map((c) => this.membership.get(app + '/' + c)?.size ?? 0));
  }

  getAttributes(owner: AttributeOwner, app: string, id: string): Promise<AttributeMap> {
    return Promise.resolve(new Map(this.attributes.get(`${owner}/${app}/${id}`) ?? []));
  }

  putAttributes(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
  ): Promise<void> {
    const key = `${owner}/${app}/${id}`;
    if (attrs.size === 0) this.attributes.delete(key);
    else this.attributes.set(key, new Map(attrs));
    return Promise.resolve();
  }
}

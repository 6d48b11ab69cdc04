import type {
  AttributeMap,
  AttributeOwner,
  ChannelStore,
  StoredMetadata,
  Version,
  Versioned,
} from '../channel-store.js';

/** Channel membership and attributes in memory, for the one-node embedded default. */
export class MemoryChannelStore implements ChannelStore {
  private readonly membership = new Map<string, Set<string>>();
  private readonly attributes = new Map<string, Versioned<AttributeMap>>();
  private readonly metadata = new Map<string, Versioned<StoredMetadata>>();
  /** Writes so far: the source of versions. */
  private written = 0;

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

  getAttributes(owner: AttributeOwner, app: string, id: string): Promise<Versioned<AttributeMap>> {
    const v = this.attributes.get(`${owner}/${app}/${id}`);
    return Promise.resolve({ value: new Map(v?.value ?? []), version: v?.version ?? '' });
  }

  putAttributesIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
    version: Version,
  ): Promise<boolean> {
    const key = `${owner}/${app}/${id}`;
    if ((this.attributes.get(key)?.version ?? '') !== version) return Promise.resolve(false);
    if (attrs.size === 0) this.attributes.delete(key);
    else this.attributes.set(key, { value: new Map(attrs), version: this.nextVersion() });
    return Promise.resolve(true);
  }

  getMetadata(owner: AttributeOwner, app: string, id: string): Promise<Versioned<StoredMetadata>> {
    const m = this.metadata.get(`${owner}/${app}/${id}`);
    return Promise.resolve({
      value: { majorRevision: m?.value.majorRevision ?? 0, items: copyItems(m?.value.items) },
      version: m?.version ?? '',
    });
  }

  putMetadataIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    meta: StoredMetadata,
    version: Version,
  ): Promise<boolean> {
    const key = `${owner}/${app}/${id}`;
    if ((this.metadata.get(key)?.version ?? '') !== version) return Promise.resolve(false);
    if (meta.items.size === 0) this.metadata.delete(key);
    else
      this.metadata.set(key, {
        value: { majorRevision: meta.majorRevision, items: copyItems(meta.items) },
        version: this.nextVersion(),
      });
    return Promise.resolve(true);
  }

  /** A counter never repeats, so a version names one value for good. */
  private nextVersion(): Version {
    return String(++this.written);
  }
}

function copyItems(items: StoredMetadata['items'] | undefined): StoredMetadata['items'] {
  return new Map([...(items ?? [])].map(([k, v]) => [k, { ...v }]));
}

import type {
  AttributeMap,
  AttributeOwner,
  AttributeStore,
  StoredMetadata,
  Version,
  Versioned,
} from '../attribute-store.js';

/** User and channel attributes and metadata in memory, for the one-node embedded default. */
export class MemoryAttributeStore implements AttributeStore {
  private readonly attributes = new Map<string, Versioned<AttributeMap>>();
  private readonly metadata = new Map<string, Versioned<StoredMetadata>>();
  /** Writes so far: the source of versions. */
  private written = 0;

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

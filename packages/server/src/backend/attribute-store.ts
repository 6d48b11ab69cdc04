/**
 * AttributeStore: the attributes and the metadata of users and of channels, shared by every
 * node. Implementations live beside the other backend files and pass
 * `test/attribute-store-conformance.ts`.
 *
 * Attributes and metadata change by read-modify-write, and the nodes of one deployment write
 * them at once; so each value is read with a version, and each write is a compare-and-set on
 * it: it applies only to the value it was computed from, or not at all (answering false). Of
 * writes naming one version, exactly one applies. Writers go through `OwnerWrites`, which
 * reads again and retries.
 *
 * Nothing expires here: a value lasts until it is written empty (services/attributes.ts
 * empties a channel's once it has had no member for `channelAttributesClearMs`). On Redis a
 * value is as durable as its persistence settings.
 */

/** An attribute with who set it and when. */
export interface StoredAttribute {
  value: string;
  lastUpdateUserId: string;
  lastUpdateTs: number;
}

export type AttributeMap = Map<string, StoredAttribute>;

export type AttributeOwner = 'user' | 'channel';

/** A metadata item as stored. */
export interface StoredMetadataItem {
  value: string;
  revision: number;
  /** ms; 0 when not recorded. */
  updateTs: number;
  /** '' when not recorded. */
  authorUserId: string;
}

export interface StoredMetadata {
  majorRevision: number;
  items: Map<string, StoredMetadataItem>;
}

/**
 * Names one stored value of one owner: `''` when nothing is stored, and otherwise never given
 * to another value, so equal versions mean an unchanged value (no ABA after delete and rewrite).
 */
export type Version = string;

/** A value as read, with the version a compare-and-set names. */
export interface Versioned<T> {
  value: T;
  version: Version;
}

export interface AttributeStore {
  /** The attributes of a user or a channel (empty when none), a copy, and their version. */
  getAttributes(owner: AttributeOwner, app: string, id: string): Promise<Versioned<AttributeMap>>;
  /**
   * Compare-and-set: replaces the attributes (an empty map deletes them) if they are still at
   * `version`; answers false, changing nothing, when another write came first.
   */
  putAttributesIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    attrs: AttributeMap,
    version: Version,
  ): Promise<boolean>;

  /** The metadata (no items and majorRevision 0 when none), a copy, and its version. */
  getMetadata(owner: AttributeOwner, app: string, id: string): Promise<Versioned<StoredMetadata>>;
  /**
   * Compare-and-set: replaces the metadata (no items deletes it) if it is still at `version`;
   * answers false, changing nothing, when another write came first.
   */
  putMetadataIf(
    owner: AttributeOwner,
    app: string,
    id: string,
    meta: StoredMetadata,
    version: Version,
  ): Promise<boolean>;
}

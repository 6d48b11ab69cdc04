/**
 * ChannelStore: channel membership, and user and channel attributes, shared by every node.
 * Implementations live beside the other backend files and pass
 * `test/channel-store-conformance.ts`.
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

export interface ChannelStore {
  /** Adds a member; answers whether it was new and the member count after. */
  join(app: string, channel: string, uid: string): Promise<{ added: boolean; count: number }>;
  /** Removes a member; answers whether it was there and the member count after. */
  leave(app: string, channel: string, uid: string): Promise<{ removed: boolean; count: number }>;
  /** Up to `limit` members (a sample when there are more). */
  members(app: string, channel: string, limit: number): Promise<string[]>;
  /** The channels a user is a member of. */
  channelsOf(app: string, uid: string): Promise<string[]>;
  /** Member counts, 0 for unknown channels. */
  counts(app: string, channels: readonly string[]): Promise<number[]>;

  /** The attributes of a user or a channel (empty when none). */
  getAttributes(owner: AttributeOwner, app: string, id: string): Promise<AttributeMap>;
  /** Replaces the attributes of a user or a channel; an empty map deletes them. */
  putAttributes(owner: AttributeOwner, app: string, id: string, attrs: AttributeMap): Promise<void>;

  /** The metadata of a user or a channel (no items and majorRevision 0 when none). */
  getMetadata(owner: AttributeOwner, app: string, id: string): Promise<StoredMetadata>;
  /** Replaces the metadata of a user or a channel; no items deletes it. */
  putMetadata(owner: AttributeOwner, app: string, id: string, meta: StoredMetadata): Promise<void>;
}

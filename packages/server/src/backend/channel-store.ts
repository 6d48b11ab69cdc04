/**
 * ChannelStore: who is a member of each channel, shared by every node. Implementations live
 * beside the other backend files and pass `test/channel-store-conformance.ts`.
 *
 * Guarantees:
 * - A join or a leave is atomic on its channel: of racing joins of one user, one is `added`;
 *   each answers the member count right after it.
 * - Member lists are the latest joiners, latest first (a rejoin counts from the rejoin).
 * - A user's channel list may name a channel too many (a node died between the two writes of a
 *   join or a leave on Redis), never one too few; leaving a channel one is not in is harmless.
 *
 * Nothing expires: a membership lasts until its user leaves, its session ends, or its node is
 * taken for dead (see NodeRegistry). Channel attributes and metadata are in the AttributeStore.
 */
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
}

/**
 * ChannelStore: channel membership, channel attributes and metadata, user attributes and
 * metadata, shared by every node (see services/channels.ts, services/attributes.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChannelStore {}

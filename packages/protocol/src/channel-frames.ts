/** Frames of channels, channel messages, attributes and metadata. */

/** Channel requests (client → server). */
export type ChannelRequest = never;
/** Channel pushes that must survive a reconnect (carry the session sequence `s`). */
export type ChannelReliablePush = never;

import type { ChannelStore } from '../channel-store.js';

/** Channel and attribute state in memory, for the one-node embedded default. */
export class MemoryChannelStore implements ChannelStore {}

import type { Broker } from './broker.js';
import type { ChannelStore } from './channel-store.js';
import type { InvitationStore } from './invitation-store.js';
import type { Store } from './store.js';

/** A backend: the stores and the Broker that belong together (one deployment's shared state). */
export interface Backend {
  /** Sessions, presence, bans, offline messages. */
  readonly store: Store;
  readonly channels: ChannelStore;
  readonly invitations: InvitationStore;
  readonly broker: Broker;
  close(): Promise<void>;
}

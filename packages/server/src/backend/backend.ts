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
  /**
   * Whether `err` says the shared state could not be reached (a connection down, a command
   * timed out): a temporary failure the client may retry, not a fault of the request.
   */
  unavailable(err: unknown): boolean;
  close(): Promise<void>;
}

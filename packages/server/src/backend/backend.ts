import type { AttributeStore } from './attribute-store.js';
import type { BanList } from './ban-list.js';
import type { Broker } from './broker.js';
import type { ChannelStore } from './channel-store.js';
import type { InvitationStore } from './invitation-store.js';
import type { NodeRegistry } from './node-registry.js';
import type { OfflineInbox } from './offline-inbox.js';
import type { UserRegistry } from './user-registry.js';

/**
 * A backend: the stores and the Broker of one deployment's shared state, one per concept. Every
 * call is async, even in memory, so a networked backend (Redis) fits without changing a
 * service. `backend/memory` is the one-node embedded default, `backend/redis` the multi-node one;
 * each store passes its conformance suite in `test/` on both.
 */
export interface Backend {
  /** Who holds each user (session and node), and presence. */
  readonly users: UserRegistry;
  /** Peer messages kept for offline receivers. */
  readonly offline: OfflineInbox;
  readonly bans: BanList;
  /** Node liveness and the sessions each node holds, to end those of a dead node. */
  readonly nodes: NodeRegistry;
  /** Channel membership. */
  readonly channels: ChannelStore;
  /** User and channel attributes and metadata. */
  readonly attributes: AttributeStore;
  readonly invitations: InvitationStore;
  readonly broker: Broker;
  /**
   * Whether `err` says the shared state could not be reached (a connection down, a command
   * timed out): a temporary failure the client may retry, not a fault of the request.
   */
  unavailable(err: unknown): boolean;
  /** Flushes what is pending (offline messages to SQLite) and releases every resource. */
  close(): Promise<void>;
}

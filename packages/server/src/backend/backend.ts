import { DEFAULTS, type ServerConfig } from '../config.js';
import type { AttributeStore } from './attribute-store.js';
import type { BanList } from './ban-list.js';
import type { Broker } from './broker.js';
import type { ChannelStore } from './channel-store.js';
import type { EventLog } from './event-log.js';
import type { HistoryLimits, HistoryStore } from './history-store.js';
import type { InvitationStore } from './invitation-store.js';
import type { NodeRegistry } from './node-registry.js';
import type { OfflineInbox } from './offline-inbox.js';
import type { ParkedEvents } from './parked-events.js';
import type { RateCounter } from './rate-counter.js';
import type { UserRegistry } from './user-registry.js';
import type { WebhookQueue } from './webhook-queue.js';

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
  /** Peer messages for users whose node died, until they land on another (resume window). */
  readonly parked: ParkedEvents;
  readonly bans: BanList;
  /** Node liveness and the sessions each node holds, to end those of a dead node. */
  readonly nodes: NodeRegistry;
  /** Channel membership. */
  readonly channels: ChannelStore;
  /** User and channel attributes and metadata. */
  readonly attributes: AttributeStore;
  readonly invitations: InvitationStore;
  /** Messages sent with historical messaging, for the REST history queries. */
  readonly history: HistoryStore;
  /** The REST event pull's user and channel events. */
  readonly eventLog: EventLog;
  /** Webhook notices waiting to be delivered. */
  readonly webhooks: WebhookQueue;
  /** Rate limits counted across nodes; none on one node, whose own count is the total. */
  readonly sharedRates: RateCounter | undefined;
  readonly broker: Broker;
  /**
   * Whether `err` says the shared state could not be reached (a connection down, a command
   * timed out): a temporary failure the client may retry, not a fault of the request.
   */
  unavailable(err: unknown): boolean;
  /** Flushes what is pending (offline messages to SQLite) and releases every resource. */
  close(): Promise<void>;
}

/** The bounds of the stores that keep what the REST API and the webhooks need. */
export interface ServiceLimits {
  history: HistoryLimits;
  /** Events kept per app and kind for the REST event pull. */
  eventLogMaxPerApp: number;
  /** Webhook notices queued per node. */
  webhookQueueMax: number;
}

type LimitKeys = 'historyMaxAgeMs' | 'historyMaxPerApp' | 'restEventsMaxPerApp' | 'webhookQueueMax';

/** The service limits of a configuration (the defaults' when none is given). */
export function serviceLimits(c: Pick<ServerConfig, LimitKeys> = DEFAULTS): ServiceLimits {
  return {
    history: { maxAgeMs: c.historyMaxAgeMs, maxPerApp: c.historyMaxPerApp },
    eventLogMaxPerApp: c.restEventsMaxPerApp,
    webhookQueueMax: c.webhookQueueMax,
  };
}

import { systemClock, type Clock } from '@parley/protocol';
import { serviceLimits, type Backend, type ServiceLimits } from '../backend.js';
import type { OfflineLimits } from '../offline-inbox.js';
import { MemoryAttributeStore } from './memory-attribute-store.js';
import { MemoryBanList } from './memory-ban-list.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryChannelStore } from './memory-channel-store.js';
import { MemoryEventLog } from './memory-event-log.js';
import { MemoryInvitationStore } from './memory-invitation-store.js';
import { MemoryNodeRegistry } from './memory-node-registry.js';
import { MemoryUserRegistry } from './memory-user-registry.js';
import { openSqlite } from './sqlite.js';
import { SqliteHistoryStore } from './sqlite-history-store.js';
import { SqliteOfflineInbox } from './sqlite-offline-inbox.js';
import { MemoryParkedEvents } from '../parked-events.js';
import { SqliteWebhookQueue } from './sqlite-webhook-queue.js';

/**
 * The embedded default: one process, state in memory; offline messages, the message history and
 * the webhook queue in SQLite under `dataDir`. `clock` is the time the node registry's liveness
 * marks run on.
 */
export function createMemoryBackend(
  dataDir: string,
  limits: OfflineLimits,
  clock: Clock = systemClock,
  service: ServiceLimits = serviceLimits(),
): Backend {
  const db = openSqlite(dataDir);
  const offline = new SqliteOfflineInbox(db, limits);
  const history = new SqliteHistoryStore(db, service.history);
  const webhooks = new SqliteWebhookQueue(db, service.webhookQueueMax);
  const broker = new MemoryBroker();
  return {
    users: new MemoryUserRegistry(),
    offline,
    parked: new MemoryParkedEvents(() => clock.now()),
    bans: new MemoryBanList(),
    nodes: new MemoryNodeRegistry(clock),
    channels: new MemoryChannelStore(),
    attributes: new MemoryAttributeStore(),
    invitations: new MemoryInvitationStore(),
    history,
    eventLog: new MemoryEventLog(service.eventLogMaxPerApp),
    webhooks,
    broker,
    // Nothing shared to lose: an error here is a fault, not an outage.
    unavailable: () => false,
    async close() {
      await broker.close();
      offline.close();
      history.close();
      webhooks.close();
      db.close();
    },
  };
}

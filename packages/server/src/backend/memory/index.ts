import { systemClock, type Clock } from '@parley/protocol';
import { serviceLimits, type Backend, type ServiceLimits } from '../backend.js';
import type { Logger } from '../../log.js';
import type { OfflineLimits } from '../offline-inbox.js';
import { MemoryAttributeStore } from './memory-attribute-store.js';
import { MemoryBanList } from './memory-ban-list.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryChannelStore } from './memory-channel-store.js';
import { MemoryInvitationStore } from './memory-invitation-store.js';
import { MemoryNodeRegistry } from './memory-node-registry.js';
import { MemoryUserRegistry } from './memory-user-registry.js';
import { openSqlite } from './sqlite.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { SqliteHistoryStore } from './sqlite-history-store.js';
import { SqliteOfflineInbox } from './sqlite-offline-inbox.js';
import { MemoryParkedEvents } from '../parked-events.js';
import { SqliteWebhookQueue } from './sqlite-webhook-queue.js';

/**
 * The embedded default: one process, state in memory; offline messages, the message history,
 * the webhook queue and the REST event pull in SQLite under `dataDir`. `clock` is the time the
 * node registry's liveness marks and the event pull's write batches run on; `log` hears of
 * event-pull batches that could not be written.
 */
export function createMemoryBackend(
  dataDir: string,
  limits: OfflineLimits,
  clock: Clock = systemClock,
  service: ServiceLimits = serviceLimits(),
  log?: Logger,
): Backend {
  const db = openSqlite(dataDir);
  const eventLog = new SqliteEventLog(dataDir, service.eventLogMaxPerApp, clock, (err, lost) =>
    log?.error({ err, lost }, 'writing REST pull events to SQLite failed; they are lost'),
  );
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
    eventLog,
    webhooks,
    sharedRates: undefined,
    broker,
    // Nothing shared to lose: an error here is a fault, not an outage.
    unavailable: () => false,
    async close() {
      await broker.close();
      offline.close();
      history.close();
      webhooks.close();
      eventLog.close();
      db.close();
    },
  };
}

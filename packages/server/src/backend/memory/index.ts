import { systemClock, type Clock } from '@parley/protocol';
import type { Backend } from '../backend.js';
import type { OfflineLimits } from '../offline-inbox.js';
import { MemoryAttributeStore } from './memory-attribute-store.js';
import { MemoryBanList } from './memory-ban-list.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryChannelStore } from './memory-channel-store.js';
import { MemoryInvitationStore } from './memory-invitation-store.js';
import { MemoryNodeRegistry } from './memory-node-registry.js';
import { MemoryUserRegistry } from './memory-user-registry.js';
import { openSqlite } from './sqlite.js';
import { SqliteOfflineInbox } from './sqlite-offline-inbox.js';

/**
 * The embedded default: one process, state in memory, offline messages in SQLite under
 * `dataDir`. `clock` is the time the node registry's liveness marks run on.
 */
export function createMemoryBackend(
  dataDir: string,
  limits: OfflineLimits,
  clock: Clock = systemClock,
): Backend {
  const db = openSqlite(dataDir);
  const offline = new SqliteOfflineInbox(db, limits);
  const broker = new MemoryBroker();
  return {
    users: new MemoryUserRegistry(),
    offline,
    bans: new MemoryBanList(),
    nodes: new MemoryNodeRegistry(clock),
    channels: new MemoryChannelStore(),
    attributes: new MemoryAttributeStore(),
    invitations: new MemoryInvitationStore(),
    broker,
    // Nothing shared to lose: an error here is a fault, not an outage.
    unavailable: () => false,
    async close() {
      await broker.close();
      offline.close();
      db.close();
    },
  };
}

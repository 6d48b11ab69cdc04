import type { Backend } from '../backend.js';
import type { OfflineLimits } from '../store.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryChannelStore } from './memory-channel-store.js';
import { MemoryInvitationStore } from './memory-invitation-store.js';
import { MemoryStore } from './memory-store.js';

/** The embedded default: one process, state in memory, offline messages in SQLite. */
export function createMemoryBackend(dataDir: string, limits: OfflineLimits): Backend {
  const store = new MemoryStore(dataDir, limits);
  const broker = new MemoryBroker();
  return {
    store,
    channels: new MemoryChannelStore(),
    invitations: new MemoryInvitationStore(),
    broker,
    // Nothing shared to lose: an error here is a fault, not an outage.
    unavailable: () => false,
    async close() {
      await broker.close();
      await store.close();
    },
  };
}

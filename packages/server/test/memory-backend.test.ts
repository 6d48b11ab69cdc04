/** Every conformance suite on the embedded backend: memory, and SQLite for what must survive a restart. */
import { ManualClock } from '@parley/testkit';
import { createMemoryBackend } from '../src/index.js';
import { serviceLimits } from '../src/backend/backend.js';
import { MemoryAttributeStore } from '../src/backend/memory/memory-attribute-store.js';
import { MemoryBanList } from '../src/backend/memory/memory-ban-list.js';
import { MemoryBroker } from '../src/backend/memory/memory-broker.js';
import { MemoryChannelStore } from '../src/backend/memory/memory-channel-store.js';
import { MemoryInvitationStore } from '../src/backend/memory/memory-invitation-store.js';
import { MemoryNodeRegistry } from '../src/backend/memory/memory-node-registry.js';
import { MemoryUserRegistry } from '../src/backend/memory/memory-user-registry.js';
import { runAttributeStoreConformance } from './attribute-store-conformance.js';
import { runBanListConformance } from './ban-list-conformance.js';
import { runBrokerConformance } from './broker-conformance.js';
import { runChannelStoreConformance } from './channel-store-conformance.js';
import { runEventLogConformance } from './event-log-conformance.js';
import { runHistoryStoreConformance } from './history-store-conformance.js';
import { runInvitationStoreConformance } from './invitation-store-conformance.js';
import { runNodeRegistryConformance } from './node-registry-conformance.js';
import { runOfflineInboxConformance } from './offline-inbox-conformance.js';
import { runUserRegistryConformance } from './user-registry-conformance.js';
import { runWebhookQueueConformance } from './webhook-queue-conformance.js';

runUserRegistryConformance('memory', () => new MemoryUserRegistry());
// Through the backend factory, so its close (which must flush to SQLite) is what is tested.
runOfflineInboxConformance('SQLite', (dataDir, limits) => {
  const b = createMemoryBackend(dataDir, limits);
  return { inbox: b.offline, close: () => b.close() };
});
runBanListConformance('memory', () => new MemoryBanList());
runNodeRegistryConformance('memory', () => {
  const clock = new ManualClock();
  return {
    nodes: new MemoryNodeRegistry(clock),
    lapseTtlMs: 1000,
    advance: (ms) => clock.advance(ms),
  };
});
runChannelStoreConformance('memory', () => new MemoryChannelStore());
runAttributeStoreConformance('memory', () => new MemoryAttributeStore());
runInvitationStoreConformance('memory', () => new MemoryInvitationStore());
runBrokerConformance('memory', () => new MemoryBroker());
const offlineLimits = { maxPerReceiver: 5, maxAgeMs: 60_000 };
runEventLogConformance('SQLite', (dataDir, max) => {
  const b = createMemoryBackend(dataDir, offlineLimits, undefined, {
    ...serviceLimits(),
    eventLogMaxPerApp: max,
  });
  return { log: b.eventLog, close: () => b.close() };
});
runHistoryStoreConformance('SQLite', (dataDir, history) => {
  const b = createMemoryBackend(dataDir, offlineLimits, undefined, {
    ...serviceLimits(),
    history,
  });
  return { history: b.history, close: () => b.close() };
});
runWebhookQueueConformance('SQLite', (dataDir, max) => {
  const b = createMemoryBackend(dataDir, offlineLimits, undefined, {
    ...serviceLimits(),
    webhookQueueMax: max,
  });
  return { queue: b.webhooks, close: () => b.close() };
});

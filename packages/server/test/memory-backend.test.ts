import { createMemoryBackend } from '../src/index.js';
import { MemoryChannelStore } from '../src/backend/memory/memory-channel-store.js';
import { MemoryInvitationStore } from '../src/backend/memory/memory-invitation-store.js';
import { runBackendConformance } from './backend-conformance.js';
import { runChannelStoreConformance } from './channel-store-conformance.js';
import { runInvitationStoreConformance } from './invitation-store-conformance.js';

runBackendConformance('memory + SQLite', (dataDir, limits) => createMemoryBackend(dataDir, limits));
runChannelStoreConformance('memory', () => new MemoryChannelStore());
runInvitationStoreConformance('memory', () => new MemoryInvitationStore());

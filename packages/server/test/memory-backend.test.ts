import { createMemoryBackend } from '../src/index.js';
import { MemoryInvitationStore } from '../src/backend/memory/memory-invitation-store.js';
import { runBackendConformance } from './backend-conformance.js';
import { runInvitationStoreConformance } from './invitation-store-conformance.js';

runBackendConformance('memory + SQLite', (dataDir, limits) => createMemoryBackend(dataDir, limits));
runInvitationStoreConformance('memory', () => new MemoryInvitationStore());

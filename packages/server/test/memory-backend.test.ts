import { createMemoryBackend } from '../src/index.js';
import { runBackendConformance } from './backend-conformance.js';

runBackendConformance('memory + SQLite', (dataDir, limits) => createMemoryBackend(dataDir, limits));

export { startServer, type RunningServer } from './server.js';
export { loadConfig, defaultConfig, OPTIONS, type ServerConfig, type AppConfig } from './config.js';
export type { Store, StoredMessage, OfflineLimits } from './backend/store.js';
export type { Broker, BrokerHandler } from './backend/broker.js';
export type { Backend } from './backend/backend.js';
export { createMemoryBackend } from './backend/memory/index.js';
export { createRedisBackend, type RedisBackendOptions } from './backend/redis/index.js';

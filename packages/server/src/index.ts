export { startServer, type RunningServer } from './server.js';
export {
  defaultConfig,
  DEFAULTS,
  type ServerConfig,
  type ServerDeps,
  type AppConfig,
} from './config.js';
export { loadConfig, OPTIONS, helpText, type AnyOption } from './options.js';
export {
  EventStream,
  EVENT_TYPES,
  type ServerEvent,
  type ServerEventType,
  type EventOf,
} from './events.js';
export type { Store, StoredMessage, OfflineLimits } from './backend/store.js';
export type { Broker, BrokerHandler } from './backend/broker.js';
export type { Backend } from './backend/backend.js';
export { createMemoryBackend } from './backend/memory/index.js';
export { createRedisBackend, type RedisBackendOptions } from './backend/redis/index.js';

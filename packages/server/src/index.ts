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
export type { UserRegistry, UserHolder } from './backend/user-registry.js';
export type { OfflineInbox, StoredMessage, OfflineLimits } from './backend/offline-inbox.js';
export type { BanList } from './backend/ban-list.js';
export type { NodeRegistry, NodeSession } from './backend/node-registry.js';
export type { ChannelStore } from './backend/channel-store.js';
export type { AttributeStore } from './backend/attribute-store.js';
export type { InvitationStore } from './backend/invitation-store.js';
export type { Broker, BrokerHandler } from './backend/broker.js';
export type { Backend } from './backend/backend.js';
export { createMemoryBackend } from './backend/memory/index.js';
export { createRedisBackend, type RedisBackendOptions } from './backend/redis/index.js';
export { SERVER_NODE_FLAGS } from './node-flags.js';

import { Redis } from 'ioredis';
import { serviceLimits, type Backend, type ServiceLimits } from '../backend.js';
import type { OfflineLimits } from '../offline-inbox.js';
import { RedisAttributeStore } from './redis-attribute-store.js';
import { RedisBanList } from './redis-ban-list.js';
import { RedisBroker } from './redis-broker.js';
import { RedisChannelStore } from './redis-channel-store.js';
import { RedisEventLog } from './redis-event-log.js';
import { RedisHistoryStore } from './redis-history-store.js';
import { RedisInvitationStore } from './redis-invitation-store.js';
import { RedisNodeRegistry } from './redis-node-registry.js';
import { RedisOfflineInbox } from './redis-offline-inbox.js';
import { RedisParkedEvents } from './redis-parked-events.js';
import { RedisUserRegistry } from './redis-user-registry.js';
import { RedisWebhookQueue } from './redis-webhook-queue.js';

export interface RedisBackendOptions {
  url: string;
  /** Key and channel prefix, so several deployments (or tests) share one Redis. */
  prefix?: string;
  limits: OfflineLimits;
  /** Bounds of the history, the event pull and the webhook queue (default: DEFAULTS'). */
  service?: ServiceLimits;
}

const COMMAND_TIMEOUT_MS = 2000;

/** Errors ioredis gives when Redis cannot be reached (down, hung, connection lost). */
function unavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /^(Command timed out|Connection is closed|Stream isn't writeable)|ECONNREFUSED|ECONNRESET|EPIPE/.test(
      err.message,
    )
  );
}

/**
 * The multi-node backend: state in Redis, delivery over Redis pub/sub. Every store shares the
 * one command connection (`pub`), and keys start with `prefix`.
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const prefix = options.prefix ?? 'parley:';
  const redisOptions = { maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: true };
  // Requests fail within COMMAND_TIMEOUT_MS when Redis hangs (a stopped or overloaded server),
  // and after two reconnection attempts when it is gone: never wait for it indefinitely.
  const pub = new Redis(options.url, { ...redisOptions, commandTimeout: COMMAND_TIMEOUT_MS });
  const sub = new Redis(options.url, redisOptions);
  const ssub = new Redis(options.url, redisOptions);
  await Promise.all([pub.connect(), sub.connect(), ssub.connect()]);
  const broker = new RedisBroker(pub, sub, ssub, prefix);
  const service = options.service ?? serviceLimits();
  return {
    users: new RedisUserRegistry(pub, prefix),
    offline: new RedisOfflineInbox(pub, prefix, options.limits),
    parked: new RedisParkedEvents(pub, prefix),
    bans: new RedisBanList(pub, prefix),
    nodes: new RedisNodeRegistry(pub, prefix),
    channels: new RedisChannelStore(pub, prefix),
    attributes: new RedisAttributeStore(pub, prefix),
    invitations: new RedisInvitationStore(pub, prefix),
    history: new RedisHistoryStore(pub, prefix, service.history),
    eventLog: new RedisEventLog(pub, prefix, service.eventLogMaxPerApp),
    webhooks: new RedisWebhookQueue(pub, prefix, service.webhookQueueMax),
    broker,
    unavailable,
    async close() {
      await broker.close();
      await Promise.allSettled([pub.quit(), sub.quit(), ssub.quit()]);
    },
  };
}

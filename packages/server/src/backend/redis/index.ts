import { Redis } from 'ioredis';
import type { Backend } from '../backend.js';
import type { OfflineLimits } from '../store.js';
import { RedisBroker } from './redis-broker.js';
import { RedisChannelStore } from './redis-channel-store.js';
import { RedisInvitationStore } from './redis-invitation-store.js';
import { RedisStore } from './redis-store.js';

export interface RedisBackendOptions {
  url: string;
  /** Key and channel prefix, so several deployments (or tests) share one Redis. */
  prefix?: string;
  limits: OfflineLimits;
}

/** The multi-node backend: state in Redis, delivery over Redis pub/sub. */
export async function createRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const prefix = options.prefix ?? 'parley:';
  const redisOptions = { maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: true };
  const pub = new Redis(options.url, redisOptions);
  const sub = new Redis(options.url, redisOptions);
  const ssub = new Redis(options.url, redisOptions);
  await Promise.all([pub.connect(), sub.connect(), ssub.connect()]);
  const broker = new RedisBroker(pub, sub, ssub, prefix);
  return {
    store: new RedisStore(pub, prefix, options.limits),
    channels: new RedisChannelStore(pub, prefix),
    invitations: new RedisInvitationStore(pub, prefix),
    broker,
    async close() {
      await broker.close();
      await Promise.allSettled([pub.quit(), sub.quit(), ssub.quit()]);
    },
  };
}

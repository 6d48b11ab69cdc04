/**
 * Every conformance suite on the Redis backend, against the real Redis, each store under a
 * prefix of its own. Stores share one connection, as in the backend; the offline inbox and the
 * broker are opened through the backend factory (reopening, and three connections).
 */
import { after } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisBackend, type Backend } from '../src/index.js';
import { serviceLimits } from '../src/backend/backend.js';
import { RedisAttributeStore } from '../src/backend/redis/redis-attribute-store.js';
import { RedisBanList } from '../src/backend/redis/redis-ban-list.js';
import { RedisChannelStore } from '../src/backend/redis/redis-channel-store.js';
import { RedisEventLog } from '../src/backend/redis/redis-event-log.js';
import { RedisInvitationStore } from '../src/backend/redis/redis-invitation-store.js';
import { RedisNodeRegistry } from '../src/backend/redis/redis-node-registry.js';
import { RedisUserRegistry } from '../src/backend/redis/redis-user-registry.js';
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
import { REDIS_URL, uniquePrefix } from '@parley/testkit';

const conn = new Redis(REDIS_URL);
const opened: Backend[] = [];
const prefixes: string[] = [];
/** A fresh prefix, whose keys are deleted when the file is done. */
function prefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}
after(async () => {
  await Promise.all(opened.map((b) => b.close()));
  for (const p of prefixes)
    for await (const keys of conn.scanStream({ match: `${p}*`, count: 1000 }))
      if ((keys as string[]).length > 0) await conn.del(...(keys as string[]));
  await conn.quit();
});

runUserRegistryConformance('redis', () => new RedisUserRegistry(conn, prefix()));
/** One prefix per data location, so reopening on it finds what was put. */
const byDataDir = new Map<string, string>();
function prefixOf(dataDir: string): string {
  let p = byDataDir.get(dataDir);
  if (!p) byDataDir.set(dataDir, (p = prefix()));
  return p;
}
runOfflineInboxConformance('redis', async (dataDir, limits) => {
  const p = prefixOf(dataDir);
  const b = await createRedisBackend({ url: REDIS_URL, prefix: p, limits });
  return { inbox: b.offline, close: () => b.close() };
});
runBanListConformance('redis', () => new RedisBanList(conn, prefix()));
// Redis expires the marks by its own clock: the suite waits for each lapse of 50 ms to show.
runNodeRegistryConformance('redis', () => ({
  nodes: new RedisNodeRegistry(conn, prefix()),
  lapseTtlMs: 50,
  advance: () => Promise.resolve(),
}));
runChannelStoreConformance('redis', () => new RedisChannelStore(conn, prefix()));
runAttributeStoreConformance('redis', () => new RedisAttributeStore(conn, prefix()));
runInvitationStoreConformance('redis', () => new RedisInvitationStore(conn, prefix()));
runBrokerConformance('redis', async () => {
  const limits = { maxPerReceiver: 5, maxAgeMs: 60_000 };
  const b = await createRedisBackend({ url: REDIS_URL, prefix: prefix(), limits });
  opened.push(b);
  return b.broker;
});
runEventLogConformance('redis', (dataDir, max) => ({
  log: new RedisEventLog(conn, prefixOf(dataDir), max),
  close: () => Promise.resolve(),
}));
const offlineLimits = { maxPerReceiver: 5, maxAgeMs: 60_000 };
runHistoryStoreConformance('redis', async (dataDir, history) => {
  const service = { ...serviceLimits(), history };
  const b = await createRedisBackend({
    url: REDIS_URL,
    prefix: prefixOf(dataDir),
    limits: offlineLimits,
    service,
  });
  return { history: b.history, close: () => b.close() };
});
runWebhookQueueConformance('redis', async (dataDir, max) => {
  const service = { ...serviceLimits(), webhookQueueMax: max };
  const b = await createRedisBackend({
    url: REDIS_URL,
    prefix: prefixOf(dataDir),
    limits: offlineLimits,
    service,
  });
  return { queue: b.webhooks, close: () => b.close() };
});

import { Redis } from 'ioredis';
import type { Logger } from '../../log.js';
import { redactUrl } from '../../ops-log.js';
import { serviceLimits, type Backend, type ServiceLimits } from '../backend.js';
import type { OfflineLimits } from '../offline-inbox.js';
import { corkPerTurn } from './cork-per-turn.js';
import { commandDeadline } from './command-deadline.js';
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
import { RedisRateCounter } from './redis-rate-counter.js';
import { RedisUserRegistry } from './redis-user-registry.js';
import { RedisWebhookQueue } from './redis-webhook-queue.js';

export interface RedisBackendOptions {
  url: string;
  /** Key and channel prefix, so several deployments (or tests) share one Redis. */
  prefix?: string;
  limits: OfflineLimits;
  /** Bounds of the history, the event pull and the webhook queue (default: DEFAULTS'). */
  service?: ServiceLimits;
  /** Where Redis going away and coming back is logged (default: not logged). */
  log?: Logger;
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
  const pub = new Redis(options.url, redisOptions);
  const stopDeadline = commandDeadline(pub, COMMAND_TIMEOUT_MS);
  corkPerTurn(pub);
  // The broker subscribes again after a reconnect (see RedisBroker).
  const subOptions = { ...redisOptions, autoResubscribe: false };
  const sub = new Redis(options.url, subOptions);
  const ssub = new Redis(options.url, subOptions);
  const shown = redactUrl(options.url);
  const all = [pub, sub, ssub];
  // Errors reach the log as Redis down / up (watchRedis); without a listener ioredis prints
  // each one with its stack on stderr.
  let firstError: string | undefined;
  for (const r of all) r.on('error', (err: Error) => (firstError ??= err.message));
  try {
    await Promise.all(all.map((r) => r.connect()));
  } catch (err) {
    stopDeadline();
    for (const r of all) r.disconnect();
    const why = firstError ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`cannot reach Redis at ${shown}: ${why}`);
  }
  const unwatch = watchRedis(pub, shown, options.log);
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
    sharedRates: new RedisRateCounter(pub, prefix),
    broker,
    unavailable,
    async close() {
      unwatch();
      stopDeadline();
      await broker.close();
      await Promise.allSettled([pub.quit(), sub.quit(), ssub.quit()]);
    },
  };
}

/** Logs Redis going away (once) and coming back, from the command connection's events. */
function watchRedis(redis: Redis, url: string, log: Logger | undefined): () => void {
  let down = false;
  let stopped = false;
  let lastError = '';
  redis.on('error', (err: Error) => (lastError = err.message));
  redis.on('close', () => {
    if (down || stopped) return;
    down = true;
    log?.error({ redis: url, err: lastError || undefined }, `Redis down: lost ${url}`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    lastError = '';
    log?.warn({ redis: url }, `Redis up again: ${url}`);
  });
  return () => (stopped = true);
}

/**
 * Webhooks: the events named by PARLEY_WEBHOOK_EVENTS (all by default) become notices in
 * Agora Notifications' envelope, queued durably on the node where they happened and delivered
 * by its WebhookDeliverer. A node that takes over a dead node's sessions takes over its queue
 * too. Off without PARLEY_WEBHOOK_URL.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@parley/protocol';
import type { WebhookQueue } from '../backend/webhook-queue.js';
import type { ServerConfig } from '../config.js';
import type { EventStream } from '../events.js';
import type { Logger } from '../log.js';
import { WebhookDeliverer } from './deliverer.js';
import {
  SOURCE_EVENT,
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_EVENT_TYPES,
  noticeOf,
  type WebhookEventName,
} from './event-types.js';
import { httpPost } from './http-post.js';

type WebhookConfig = Pick<
  ServerConfig,
  | 'webhookUrl'
  | 'webhookSecret'
  | 'webhookEvents'
  | 'webhookTimeoutMs'
  | 'webhookRetryMs'
  | 'webhookRetryMaxMs'
  | 'webhookRetryForMs'
>;

/**
 * Starts the webhooks of a node (undefined when none are configured). `owner` names the queue
 * this node delivers: its node id on Redis, one fixed name on the embedded backend (whose one
 * node keeps its queue across restarts).
 */
export async function startWebhooks(
  config: WebhookConfig,
  events: EventStream,
  queue: WebhookQueue,
  owner: string,
  clock: Clock,
  log: Logger,
): Promise<WebhookDeliverer | undefined> {
  const { webhookUrl: url, webhookSecret: secret } = config;
  if (!url) return undefined;
  if (!secret) throw new Error('PARLEY_WEBHOOK_SECRET: required when PARLEY_WEBHOOK_URL is set');
  const deliverer = new WebhookDeliverer(
    queue,
    owner,
    {
      url,
      secret,
      retryMs: config.webhookRetryMs,
      retryMaxMs: config.webhookRetryMaxMs,
      retryForMs: config.webhookRetryForMs,
    },
    httpPost(clock, config.webhookTimeoutMs),
    events,
    clock,
    log,
  );
  const names = config.webhookEvents.length > 0 ? config.webhookEvents : WEBHOOK_EVENT_NAMES;
  const wanted = new Set<number>(names.map((n) => WEBHOOK_EVENT_TYPES[n as WebhookEventName]));
  const fail = (err: unknown) => log.error({ err }, 'queuing a webhook notice failed');
  for (const type of new Set(names.map((n) => SOURCE_EVENT[n as WebhookEventName])))
    events.on(type, (e) => {
      const c = noticeOf(e);
      if (!c || !wanted.has(c.eventType)) return;
      const payload = JSON.stringify(c.payload);
      deliverer
        .enqueue({
          id: randomUUID(),
          app: c.app,
          eventType: c.eventType,
          payload,
          queuedMs: clock.now(),
          attempts: 0,
          notBeforeMs: 0,
        })
        .catch(fail);
    });
  events.on('node.down', (e) => {
    deliverer.adopt(e.node).catch(fail);
  });
  await deliverer.start();
  return deliverer;
}

/**
 * The options of what an application's backend talks to: the REST API, the event pull, the
 * history, the webhooks and the admin console's charts (part of options.ts's table).
 */
import { int, o, optionalText, splitList, type Option, type Parser } from './option-parsers.js';
import { WEBHOOK_EVENT_NAMES } from './webhooks/event-types.js';

const webhookEventNames: Parser<string[]> = (raw, name) =>
  splitList(raw).map((e) => {
    if (!(WEBHOOK_EVENT_NAMES as readonly string[]).includes(e))
      throw new Error(`${name}: "${e}" is not one of ${WEBHOOK_EVENT_NAMES.join(' ')}`);
    return e;
  });

type ServiceKey =
  | 'restRatePerSecond'
  | 'restAckTimeoutMs'
  | 'restEventsMaxPerApp'
  | 'historyMaxAgeMs'
  | 'historyMaxPerApp'
  | 'webhookUrl'
  | 'webhookSecret'
  | 'webhookEvents'
  | 'webhookQueueMax'
  | 'webhookTimeoutMs'
  | 'webhookRetryMs'
  | 'webhookRetryMaxMs'
  | 'webhookRetryForMs'
  | 'statsIntervalMs'
  | 'statsWindowMs';

export const SERVICE_OPTIONS: { readonly [K in ServiceKey]-?: Option<K> } = {
  restRatePerSecond: o(
    'restRatePerSecond',
    'PARLEY_REST_RATE_PER_SECOND',
    '--rest-rate-per-second',
    int,
    'REST calls per second per app, all nodes together; more are answered 429',
  ),
  restAckTimeoutMs: o(
    'restAckTimeoutMs',
    'PARLEY_REST_ACK_TIMEOUT_MS',
    '--rest-ack-timeout-ms',
    int,
    "a REST peer message with wait_for_ack=true answers 408 when the receiver's SDK has not acknowledged by then",
  ),
  restEventsMaxPerApp: o(
    'restEventsMaxPerApp',
    'PARLEY_REST_EVENTS_MAX',
    '--rest-events-max',
    int,
    'user events and channel events kept per app for the REST event pull (the newest; 0 = none recorded)',
  ),
  historyMaxAgeMs: o(
    'historyMaxAgeMs',
    'PARLEY_HISTORY_MAX_AGE_MS',
    '--history-max-age-ms',
    int,
    'historical messages are kept this long',
  ),
  historyMaxPerApp: o(
    'historyMaxPerApp',
    'PARLEY_HISTORY_MAX_PER_APP',
    '--history-max-per-app',
    int,
    'historical messages kept per app (the oldest are evicted first)',
  ),
  webhookUrl: o(
    'webhookUrl',
    'PARLEY_WEBHOOK_URL',
    '--webhook-url',
    optionalText,
    'URL each event is POSTed to (Agora Notifications format); unset = no webhooks',
  ),
  webhookSecret: o(
    'webhookSecret',
    'PARLEY_WEBHOOK_SECRET',
    '--webhook-secret',
    optionalText,
    'key of the Agora-Signature (HMAC-SHA1) and Agora-Signature-V2 (HMAC-SHA256) headers; required with a URL',
  ),
  webhookEvents: o(
    'webhookEvents',
    'PARLEY_WEBHOOK_EVENTS',
    '--webhook-events',
    webhookEventNames,
    `comma list of the events sent: ${WEBHOOK_EVENT_NAMES.join(', ')}; empty = all`,
  ),
  webhookQueueMax: o(
    'webhookQueueMax',
    'PARLEY_WEBHOOK_QUEUE_MAX',
    '--webhook-queue-max',
    int,
    'webhook notices queued per node; past it new events are dropped, counted and logged',
  ),
  webhookTimeoutMs: o(
    'webhookTimeoutMs',
    'PARLEY_WEBHOOK_TIMEOUT_MS',
    '--webhook-timeout-ms',
    int,
    'an attempt fails when the receiver has not answered 2xx by then',
  ),
  webhookRetryMs: o(
    'webhookRetryMs',
    'PARLEY_WEBHOOK_RETRY_MS',
    '--webhook-retry-ms',
    int,
    'the first retry of a failed notice waits this long, each next one twice as long',
  ),
  webhookRetryMaxMs: o(
    'webhookRetryMaxMs',
    'PARLEY_WEBHOOK_RETRY_MAX_MS',
    '--webhook-retry-max-ms',
    int,
    'the longest wait between two attempts',
  ),
  webhookRetryForMs: o(
    'webhookRetryForMs',
    'PARLEY_WEBHOOK_RETRY_FOR_MS',
    '--webhook-retry-for-ms',
    int,
    'a notice failing for this long since it was queued is given up (dropped, counted, logged)',
  ),
  statsIntervalMs: o(
    'statsIntervalMs',
    'PARLEY_STATS_INTERVAL_MS',
    '--stats-interval-ms',
    int,
    "the admin console's charts take one sample per interval",
  ),
  statsWindowMs: o(
    'statsWindowMs',
    'PARLEY_STATS_WINDOW_MS',
    '--stats-window-ms',
    int,
    "how far back the admin console's charts go",
  ),
};

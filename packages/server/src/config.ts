/**
 * Server configuration: every option, limit, timeout and default of the server, with its unit
 * in its name. `DEFAULTS` holds the defaults; `options.ts` the env var, flag and text of each
 * (the README's configuration table and `--help` are that table). Client-visible limits of the
 * protocol itself are `Limits` in @parley/protocol.
 */
import type { Clock } from '@parley/protocol';

export interface AppConfig {
  appId: string;
  /** Set = tokens are required and verified; unset = open app. */
  appCertificate?: string;
}

export interface RestKey {
  key: string;
  secret: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Empty = open mode: any appId, no token needed. */
  apps: AppConfig[];
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so deployments (or tests) can share one Redis. */
  redisPrefix: string;
  restKeys: RestKey[];
  /** A dropped session can be resumed this long after its last packet. */
  resumeWindowMs: number;
  /** Subscribers see UNREACHABLE after this long without a packet from the user. */
  unreachableAfterMs: number;
  /** How often clients ping. */
  heartbeatMs: number;
  /** How often the server checks liveness, resume windows, token expiry and login deadlines. */
  sweepIntervalMs: number;
  /** TokenPrivilegeWillExpire is sent this long before the token ends. */
  tokenWillExpireLeadMs: number;
  /** A socket that has not logged in after this long is closed. */
  loginTimeoutMs: number;
  offlineMaxPerReceiver: number;
  offlineMaxAgeMs: number;
  /** Peer + channel messages per client per window. */
  sendRateCount: number;
  sendRateWindowMs: number;
  /** Undelivered frames kept per session for resume; past it the session ends. */
  maxOutboxFrames: number;
  /** Channel events kept per channel on a node, replayed to members that resume. */
  channelReplayBuffer: number;
  /** Verified tokens remembered (LRU, by token text) so a reconnect with the same one skips the HMACs; 0 = none. */
  tokenCacheSize: number;
  /** Frames to a socket wait this long to leave together (0 = at the end of the event-loop turn). */
  writeDelayMs: number;
  /** Channel attributes are cleared once the channel has been empty this long. */
  channelAttributesClearMs: number;
  /** How often channels are checked for having stayed empty that long. */
  channelAttributesSweepMs: number;
  /** How often changed member counts are sent (each channel still at most at its own rate). */
  memberCountSweepMs: number;
  /** Telephony gateway for phone invitations and DTMF (HTTP POST); unset = those fail. */
  telephonyWebhook: string | undefined;
  /** How long the telephony gateway has to answer one POST (below the SDK's request timeout). */
  telephonyTimeoutMs: number;
  /** Caller: PEER_OFFLINE when the callee is still offline this long after send. */
  invitationPeerOfflineMs: number;
  /** Caller: PEER_NO_RESPONSE when an online callee's SDK has not acknowledged by then. */
  invitationNoResponseMs: number;
  /** Both sides: INVITATION_EXPIRE when nobody accepted, refused or canceled by then. */
  invitationExpireMs: number;
  /** Callee: ACCEPT_FAILURE when the caller has not taken the accept by then. */
  invitationAcceptTimeoutMs: number;
  /** Invitations whose deadline passed, ended per store round trip. */
  invitationSweepBatch: number;
  /** A timer whose store work failed (Redis away) tries again after this long. */
  storeRetryMs: number;
  /** How long a node waits for another to hand over a session before starting a fresh one. */
  handoffTimeoutMs: number;
  /** App ids whose string one copy serves every session (bounded: an open server sees any). */
  maxInternedApps: number;
  /** REST request bodies larger than this are refused before parsing. */
  restMaxBodyBytes: number;
  /** REST calls per second per app (on each node), as Agora's 500. */
  restRatePerSecond: number;
  /** How long a REST peer message with `wait_for_ack=true` waits for the receiver's ack. */
  restAckTimeoutMs: number;
  /** Events kept per app for the REST event pull, each of user and channel events (newest). */
  restEventsMaxPerApp: number;
  /** Historical messages are kept this long. */
  historyMaxAgeMs: number;
  /** Historical messages kept per app (the oldest are evicted first). */
  historyMaxPerApp: number;
  /** Where webhook notices are POSTed; unset = no webhooks. */
  webhookUrl: string | undefined;
  /** The key of the notices' HMAC signatures (required with a URL). */
  webhookSecret: string | undefined;
  /** Event names sent as webhooks (empty = all). */
  webhookEvents: string[];
  /** Webhook notices queued per node; beyond it new ones are dropped (counted, logged). */
  webhookQueueMax: number;
  /** A receiver that has not answered 2xx by then failed that attempt. */
  webhookTimeoutMs: number;
  /** The first retry waits this long; each next one twice as long, up to webhookRetryMaxMs. */
  webhookRetryMs: number;
  webhookRetryMaxMs: number;
  /** A notice that has failed for this long is given up (dropped, counted, logged). */
  webhookRetryForMs: number;
  /** The admin console's charts: one sample per interval, kept for the window. */
  statsIntervalMs: number;
  statsWindowMs: number;
  /** A REST ban without `durationSeconds` lasts this long. */
  banDefaultSeconds: number;
  banMaxSeconds: number;
  logLevel: string;
  /** Node's HTTP timeouts: a request's headers, and the whole request, must arrive by then. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Open TCP connections, in all and per remote address; past them 503 / close 1013 (0 = no cap). */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Bytes waiting to be written to one socket; past it the session is cut (it may resume). */
  maxSocketBufferBytes: number;
  /** PEM certificate (chain) file: set with tlsKey = the server speaks https and wss. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** Browser origins allowed to open a WebSocket (exact `scheme://host[:port]`); empty = any. */
  allowedOrigins: string[];
  /** A JSON file of options by flag name (`{"port": 8080}`); env vars and flags win over it. */
  configFile: string | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every default, in one place. */
export const DEFAULTS: Readonly<ServerConfig> = Object.freeze({
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  apps: [],
  redisUrl: undefined,
  redisPrefix: 'parley:',
  restKeys: [],
  resumeWindowMs: 30_000,
  unreachableAfterMs: 6_000,
  heartbeatMs: 2_500,
  sweepIntervalMs: 500,
  tokenWillExpireLeadMs: 30_000,
  loginTimeoutMs: 15_000,
  offlineMaxPerReceiver: 200,
  offlineMaxAgeMs: 7 * DAY_MS,
  sendRateCount: 180,
  sendRateWindowMs: 3_000,
  maxOutboxFrames: 10_000,
  channelReplayBuffer: 1000,
  writeDelayMs: 0,
  tokenCacheSize: 10_000,
  channelAttributesClearMs: 120_000,
  channelAttributesSweepMs: 1000,
  memberCountSweepMs: 250,
  telephonyWebhook: undefined,
  telephonyTimeoutMs: 5_000,
  invitationPeerOfflineMs: 30_000,
  invitationNoResponseMs: 30_000,
  invitationExpireMs: 60_000,
  invitationAcceptTimeoutMs: 5_000,
  invitationSweepBatch: 512,
  storeRetryMs: 1000,
  handoffTimeoutMs: 2000,
  maxInternedApps: 1000,
  restMaxBodyBytes: 64 * 1024,
  restRatePerSecond: 500,
  restAckTimeoutMs: 10_000,
  restEventsMaxPerApp: 2000,
  historyMaxAgeMs: 7 * DAY_MS,
  historyMaxPerApp: 100_000,
  webhookUrl: undefined,
  webhookSecret: undefined,
  webhookEvents: [],
  webhookQueueMax: 100_000,
  webhookTimeoutMs: 10_000,
  webhookRetryMs: 1000,
  webhookRetryMaxMs: 10 * 60_000,
  webhookRetryForMs: DAY_MS,
  statsIntervalMs: 2000,
  statsWindowMs: 5 * 60_000,
  banDefaultSeconds: 3600,
  banMaxSeconds: 30 * 24 * 3600,
  logLevel: 'info',
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxConnections: 50_000,
  maxConnectionsPerIp: 0,
  maxSocketBufferBytes: 4 * 1024 * 1024,
  tlsCert: undefined,
  tlsKey: undefined,
  allowedOrigins: [],
  configFile: undefined,
});

/** A fresh copy of the defaults (its lists are the caller's to change). */
export function defaultConfig(): ServerConfig {
  return {
    ...DEFAULTS,
    apps: [...DEFAULTS.apps],
    restKeys: [...DEFAULTS.restKeys],
    webhookEvents: [...DEFAULTS.webhookEvents],
    allowedOrigins: [...DEFAULTS.allowedOrigins],
  };
}

/** What `startServer` takes besides the configuration: things a test or an embedder injects. */
export interface ServerDeps {
  /** The time and timers the server runs on (default: the system clock). */
  clock?: Clock;
}

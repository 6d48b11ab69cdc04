/**
 * Server configuration: every option with its env var, CLI flag, default and unit, in one
 * table. The README's configuration table is this table.
 */
export interface AppConfig {
  appId: string;
  /** Set = tokens are required and verified; unset = open app. */
  appCertificate?: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Empty = open mode: any appId, no token needed. */
  apps: AppConfig[];
  redisUrl?: string;
  /** Prefix of every Redis key and channel, so deployments (or tests) can share one Redis. */
  redisPrefix: string;
  restKeys: { key: string; secret: string }[];
  /** A dropped session can be resumed this long after its last packet. */
  resumeWindowMs: number;
  /** Subscribers see UNREACHABLE after this long without a packet from the user. */
  unreachableAfterMs: number;
  /** How often clients ping. */
  heartbeatMs: number;
  /** How often the server checks liveness, resume windows and token expiry. */
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
  /** Frames to a socket wait this long to leave together (0 = at the end of the event-loop turn). */
  writeDelayMs: number;
  /** Channel attributes are cleared once the channel has been empty this long. */
  channelAttributesClearMs: number;
  /** Telephony gateway for phone invitations and DTMF (HTTP POST); unset = those fail. */
  telephonyWebhook?: string;
  /** Caller: PEER_OFFLINE when the callee is still offline this long after send. */
  invitationPeerOfflineMs: number;
  /** Caller: PEER_NO_RESPONSE when an online callee's SDK has not acknowledged by then. */
  invitationNoResponseMs: number;
  /** Both sides: INVITATION_EXPIRE when nobody accepted, refused or canceled by then. */
  invitationExpireMs: number;
  /** Callee: ACCEPT_FAILURE when the caller has not taken the accept by then. */
  invitationAcceptTimeoutMs: number;
  logLevel: string;
}

type Kind = 'int' | 'string' | 'apps' | 'keys';
interface Option {
  key: keyof ServerConfig;
  env: string;
  flag: string;
  kind: Kind;
  default: ServerConfig[keyof ServerConfig];
  doc: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const OPTIONS: readonly Option[] = [
  {
    key: 'port',
    env: 'PORT',
    flag: '--port',
    kind: 'int',
    default: 8080,
    doc: 'TCP port; 0 = any free port',
  },
  {
    key: 'host',
    env: 'HOST',
    flag: '--host',
    kind: 'string',
    default: '0.0.0.0',
    doc: 'address to listen on',
  },
  {
    key: 'dataDir',
    env: 'PARLEY_DATA_DIR',
    flag: '--data-dir',
    kind: 'string',
    default: './data',
    doc: 'where SQLite keeps offline messages',
  },
  {
    key: 'apps',
    env: 'PARLEY_APPS',
    flag: '--apps',
    kind: 'apps',
    default: [],
    doc: 'comma list of `appId` or `appId:appCertificate`; empty = open mode (any appId, no token)',
  },
  {
    key: 'redisUrl',
    env: 'PARLEY_REDIS_URL',
    flag: '--redis',
    kind: 'string',
    default: undefined,
    doc: 'Redis URL; set = Redis backend (many nodes)',
  },
  {
    key: 'redisPrefix',
    env: 'PARLEY_REDIS_PREFIX',
    flag: '--redis-prefix',
    kind: 'string',
    default: 'parley:',
    doc: 'prefix of every Redis key and pub/sub channel',
  },
  {
    key: 'restKeys',
    env: 'PARLEY_REST_KEYS',
    flag: '--rest-keys',
    kind: 'keys',
    default: [],
    doc: 'comma list of `key:secret` for the REST API',
  },
  {
    key: 'resumeWindowMs',
    env: 'PARLEY_RESUME_WINDOW_MS',
    flag: '--resume-window-ms',
    kind: 'int',
    default: 30_000,
    doc: 'a dropped client resumes silently within this time; after it, the user is offline',
  },
  {
    key: 'unreachableAfterMs',
    env: 'PARLEY_UNREACHABLE_AFTER_MS',
    flag: '--unreachable-after-ms',
    kind: 'int',
    default: 6_000,
    doc: 'subscribers see UNREACHABLE after this long without a packet',
  },
  {
    key: 'heartbeatMs',
    env: 'PARLEY_HEARTBEAT_MS',
    flag: '--heartbeat-ms',
    kind: 'int',
    default: 2_500,
    doc: 'client ping interval the server asks for',
  },
  {
    key: 'sweepIntervalMs',
    env: 'PARLEY_SWEEP_INTERVAL_MS',
    flag: '--sweep-interval-ms',
    kind: 'int',
    default: 500,
    doc: 'liveness, resume-window and token-expiry check interval',
  },
  {
    key: 'tokenWillExpireLeadMs',
    env: 'PARLEY_TOKEN_WILL_EXPIRE_LEAD_MS',
    flag: '--token-will-expire-lead-ms',
    kind: 'int',
    default: 30_000,
    doc: 'TokenPrivilegeWillExpire fires this long before expiry',
  },
  {
    key: 'loginTimeoutMs',
    env: 'PARLEY_LOGIN_TIMEOUT_MS',
    flag: '--login-timeout-ms',
    kind: 'int',
    default: 15_000,
    doc: 'a socket with no login by then is closed',
  },
  {
    key: 'offlineMaxPerReceiver',
    env: 'PARLEY_OFFLINE_MAX',
    flag: '--offline-max',
    kind: 'int',
    default: 200,
    doc: 'offline messages kept per receiver (oldest evicted first)',
  },
  {
    key: 'offlineMaxAgeMs',
    env: 'PARLEY_OFFLINE_MAX_AGE_MS',
    flag: '--offline-max-age-ms',
    kind: 'int',
    default: 7 * DAY_MS,
    doc: 'offline messages older than this are dropped',
  },
  {
    key: 'sendRateCount',
    env: 'PARLEY_SEND_RATE_COUNT',
    flag: '--send-rate-count',
    kind: 'int',
    default: 180,
    doc: 'peer + channel messages per client per window',
  },
  {
    key: 'sendRateWindowMs',
    env: 'PARLEY_SEND_RATE_WINDOW_MS',
    flag: '--send-rate-window-ms',
    kind: 'int',
    default: 3_000,
    doc: 'the send-rate sliding window',
  },
  {
    key: 'maxOutboxFrames',
    env: 'PARLEY_MAX_OUTBOX',
    flag: '--max-outbox',
    kind: 'int',
    default: 10_000,
    doc: 'undelivered frames kept per session for resume',
  },
  {
    key: 'telephonyWebhook',
    env: 'PARLEY_TELEPHONY_WEBHOOK',
    flag: '--telephony-webhook',
    kind: 'string',
    default: undefined,
    doc: 'URL the server POSTs phone invitations and DTMF to; unset = they fail with a clear reason',
  },
  {
    key: 'channelReplayBuffer',
    env: 'PARLEY_CHANNEL_REPLAY_BUFFER',
    flag: '--channel-replay-buffer',
    kind: 'int',
    default: 1000,
    doc: 'channel events kept per channel, replayed to members that resume',
  },
  {
    key: 'writeDelayMs',
    env: 'PARLEY_WRITE_DELAY_MS',
    flag: '--write-delay-ms',
    kind: 'int',
    default: 0,
    doc: 'hold frames to a socket up to this long so they leave in one write: less CPU per delivery for busy channels, this much more latency (0 = send at the end of each event-loop turn)',
  },
  {
    key: 'channelAttributesClearMs',
    env: 'PARLEY_CHANNEL_ATTRIBUTES_CLEAR_MS',
    flag: '--channel-attributes-clear-ms',
    kind: 'int',
    default: 120_000,
    doc: 'channel attributes are cleared once the channel has been empty this long',
  },
  {
    key: 'invitationPeerOfflineMs',
    env: 'PARLEY_INVITATION_PEER_OFFLINE_MS',
    flag: '--invitation-peer-offline-ms',
    kind: 'int',
    default: 30_000,
    doc: 'caller gets PEER_OFFLINE when the callee is still offline this long after send',
  },
  {
    key: 'invitationNoResponseMs',
    env: 'PARLEY_INVITATION_NO_RESPONSE_MS',
    flag: '--invitation-no-response-ms',
    kind: 'int',
    default: 30_000,
    doc: "caller gets PEER_NO_RESPONSE when an online callee's SDK has not acknowledged by then",
  },
  {
    key: 'invitationExpireMs',
    env: 'PARLEY_INVITATION_EXPIRE_MS',
    flag: '--invitation-expire-ms',
    kind: 'int',
    default: 60_000,
    doc: 'both sides get INVITATION_EXPIRE when nobody accepted, refused or canceled by then',
  },
  {
    key: 'invitationAcceptTimeoutMs',
    env: 'PARLEY_INVITATION_ACCEPT_TIMEOUT_MS',
    flag: '--invitation-accept-timeout-ms',
    kind: 'int',
    default: 5_000,
    doc: 'callee gets ACCEPT_FAILURE when the caller has not taken the accept by then',
  },
  {
    key: 'logLevel',
    env: 'PARLEY_LOG_LEVEL',
    flag: '--log-level',
    kind: 'string',
    default: 'info',
    doc: 'pino level: fatal, error, warn, info, debug, silent',
  },
];

export function defaultConfig(): ServerConfig {
  const config = {} as Record<string, unknown>;
  for (const o of OPTIONS) config[o.key] = Array.isArray(o.default) ? [...o.default] : o.default;
  return config as unknown as ServerConfig;
}

function parseValue(o: Option, raw: string): unknown {
  switch (o.kind) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < 0)
        throw new Error(`${o.env}/${o.flag}: "${raw}" is not a non-negative integer`);
      return n;
    }
    case 'string':
      return raw;
    case 'apps':
      return splitList(raw).map((entry) => {
        const [appId, appCertificate] = entry.split(':', 2);
        if (!appId) throw new Error(`${o.env}/${o.flag}: empty appId in "${entry}"`);
        return appCertificate ? { appId, appCertificate } : { appId };
      });
    case 'keys':
      return splitList(raw).map((entry) => {
        const i = entry.indexOf(':');
        if (i <= 0 || i === entry.length - 1)
          throw new Error(`${o.env}/${o.flag}: "${entry}" is not key:secret`);
        return { key: entry.slice(0, i), secret: entry.slice(i + 1) };
      });
  }
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads env vars, then CLI flags (`--flag value` or `--flag=value`), over the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): ServerConfig {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const o of OPTIONS) {
    const v = env[o.env];
    if (v !== undefined && v !== '') config[o.key] = parseValue(o, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const o = OPTIONS.find((x) => x.flag === flag);
    if (!o)
      throw new Error(`unknown option ${arg}; options: ${OPTIONS.map((x) => x.flag).join(' ')}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    config[o.key] = parseValue(o, value);
  }
  return config as unknown as ServerConfig;
}

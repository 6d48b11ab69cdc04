/**
 * The command line and environment of `parley-server`: for each option of ServerConfig its
 * env var, its flag and what it means. `loadConfig` reads env vars, then flags (`node:util`
 * parseArgs, driven by this table), over DEFAULTS; flags win. `--help` prints the table.
 */
import { parseArgs } from 'node:util';
import { DEFAULTS, type ServerConfig } from './config.js';
import {
  apps,
  int,
  keys,
  level,
  o,
  optionalText,
  text,
  type AnyOption,
  type Key,
  type Option,
} from './option-parsers.js';
import { LIMIT_OPTIONS } from './options-limits.js';
import { OPS_OPTIONS } from './options-ops.js';
import { SERVICE_OPTIONS } from './options-services.js';
import { readFileSync } from 'node:fs';

export type { AnyOption, Option } from './option-parsers.js';

/** One entry per ServerConfig key (the mapped type makes a missing one a compile error). */
const TABLE: { readonly [K in Key]-?: Option<K> } = {
  port: o('port', 'PORT', '--port', int, 'TCP port; 0 = any free port'),
  host: o('host', 'HOST', '--host', text, 'address to listen on'),
  dataDir: o(
    'dataDir',
    'PARLEY_DATA_DIR',
    '--data-dir',
    text,
    'where SQLite keeps offline messages, the message history and the webhook queue',
  ),
  apps: o(
    'apps',
    'PARLEY_APPS',
    '--apps',
    apps,
    'comma list of `appId` or `appId:appCertificate`; empty = open mode (any appId, no token)',
  ),
  redisUrl: o(
    'redisUrl',
    'PARLEY_REDIS_URL',
    '--redis',
    optionalText,
    'Redis URL; set = Redis backend (many nodes)',
  ),
  redisPrefix: o(
    'redisPrefix',
    'PARLEY_REDIS_PREFIX',
    '--redis-prefix',
    text,
    'prefix of every Redis key and pub/sub channel',
  ),
  restKeys: o(
    'restKeys',
    'PARLEY_REST_KEYS',
    '--rest-keys',
    keys,
    'comma list of `key:secret` for the REST API',
  ),
  resumeWindowMs: o(
    'resumeWindowMs',
    'PARLEY_RESUME_WINDOW_MS',
    '--resume-window-ms',
    int,
    'a dropped client resumes silently within this time; after it, the user is offline',
  ),
  unreachableAfterMs: o(
    'unreachableAfterMs',
    'PARLEY_UNREACHABLE_AFTER_MS',
    '--unreachable-after-ms',
    int,
    'subscribers see UNREACHABLE after this long without a packet',
  ),
  heartbeatMs: o(
    'heartbeatMs',
    'PARLEY_HEARTBEAT_MS',
    '--heartbeat-ms',
    int,
    'client ping interval the server asks for',
  ),
  sweepIntervalMs: o(
    'sweepIntervalMs',
    'PARLEY_SWEEP_INTERVAL_MS',
    '--sweep-interval-ms',
    int,
    'liveness, resume-window, token-expiry and login-deadline check interval',
  ),
  tokenWillExpireLeadMs: o(
    'tokenWillExpireLeadMs',
    'PARLEY_TOKEN_WILL_EXPIRE_LEAD_MS',
    '--token-will-expire-lead-ms',
    int,
    'TokenPrivilegeWillExpire fires this long before expiry',
  ),
  loginTimeoutMs: o(
    'loginTimeoutMs',
    'PARLEY_LOGIN_TIMEOUT_MS',
    '--login-timeout-ms',
    int,
    'a socket with no login by then is closed',
  ),
  offlineMaxPerReceiver: o(
    'offlineMaxPerReceiver',
    'PARLEY_OFFLINE_MAX',
    '--offline-max',
    int,
    'offline messages kept per receiver (oldest evicted first)',
  ),
  offlineMaxAgeMs: o(
    'offlineMaxAgeMs',
    'PARLEY_OFFLINE_MAX_AGE_MS',
    '--offline-max-age-ms',
    int,
    'offline messages older than this are dropped',
  ),
  sendRateCount: o(
    'sendRateCount',
    'PARLEY_SEND_RATE_COUNT',
    '--send-rate-count',
    int,
    'peer + channel messages per client per window',
  ),
  sendRateWindowMs: o(
    'sendRateWindowMs',
    'PARLEY_SEND_RATE_WINDOW_MS',
    '--send-rate-window-ms',
    int,
    'the send-rate sliding window',
  ),
  maxOutboxFrames: o(
    'maxOutboxFrames',
    'PARLEY_MAX_OUTBOX',
    '--max-outbox',
    int,
    'undelivered frames kept per session for resume',
  ),
  channelReplayBuffer: o(
    'channelReplayBuffer',
    'PARLEY_CHANNEL_REPLAY_BUFFER',
    '--channel-replay-buffer',
    int,
    'channel events kept per channel, replayed to members that resume',
  ),
  tokenCacheSize: o(
    'tokenCacheSize',
    'PARLEY_TOKEN_CACHE_SIZE',
    '--token-cache-size',
    int,
    'verified tokens remembered (least recently used dropped first, expiry still checked), so a reconnect with the same token skips its verification (0 = off)',
  ),
  writeDelayMs: o(
    'writeDelayMs',
    'PARLEY_WRITE_DELAY_MS',
    '--write-delay-ms',
    int,
    'hold frames to a socket up to this long so they leave in one write: less CPU per delivery for busy channels, this much more latency (0 = send at the end of each event-loop turn)',
  ),
  channelAttributesClearMs: o(
    'channelAttributesClearMs',
    'PARLEY_CHANNEL_ATTRIBUTES_CLEAR_MS',
    '--channel-attributes-clear-ms',
    int,
    'channel attributes are cleared once the channel has been empty this long',
  ),
  channelAttributesSweepMs: o(
    'channelAttributesSweepMs',
    'PARLEY_CHANNEL_ATTRIBUTES_SWEEP_MS',
    '--channel-attributes-sweep-ms',
    int,
    'how often channels are checked for having stayed empty that long',
  ),
  memberCountSweepMs: o(
    'memberCountSweepMs',
    'PARLEY_MEMBER_COUNT_SWEEP_MS',
    '--member-count-sweep-ms',
    int,
    'how often changed member counts go out (each channel at most once a second, once per 3 s above 512 members)',
  ),
  telephonyWebhook: o(
    'telephonyWebhook',
    'PARLEY_TELEPHONY_WEBHOOK',
    '--telephony-webhook',
    optionalText,
    'URL the server POSTs phone invitations and DTMF to; unset = they fail with a clear reason',
  ),
  telephonyTimeoutMs: o(
    'telephonyTimeoutMs',
    'PARLEY_TELEPHONY_TIMEOUT_MS',
    '--telephony-timeout-ms',
    int,
    'how long the telephony gateway has to answer one POST',
  ),
  invitationPeerOfflineMs: o(
    'invitationPeerOfflineMs',
    'PARLEY_INVITATION_PEER_OFFLINE_MS',
    '--invitation-peer-offline-ms',
    int,
    'caller gets PEER_OFFLINE when the callee is still offline this long after send',
  ),
  invitationNoResponseMs: o(
    'invitationNoResponseMs',
    'PARLEY_INVITATION_NO_RESPONSE_MS',
    '--invitation-no-response-ms',
    int,
    "caller gets PEER_NO_RESPONSE when an online callee's SDK has not acknowledged by then",
  ),
  invitationExpireMs: o(
    'invitationExpireMs',
    'PARLEY_INVITATION_EXPIRE_MS',
    '--invitation-expire-ms',
    int,
    'both sides get INVITATION_EXPIRE when nobody accepted, refused or canceled by then',
  ),
  invitationAcceptTimeoutMs: o(
    'invitationAcceptTimeoutMs',
    'PARLEY_INVITATION_ACCEPT_TIMEOUT_MS',
    '--invitation-accept-timeout-ms',
    int,
    'callee gets ACCEPT_FAILURE when the caller has not taken the accept by then',
  ),
  invitationSweepBatch: o(
    'invitationSweepBatch',
    'PARLEY_INVITATION_SWEEP_BATCH',
    '--invitation-sweep-batch',
    int,
    'invitations past their deadline ended per store round trip',
  ),
  storeRetryMs: o(
    'storeRetryMs',
    'PARLEY_STORE_RETRY_MS',
    '--store-retry-ms',
    int,
    'a timer whose store work failed (Redis away) tries again after this long',
  ),
  handoffTimeoutMs: o(
    'handoffTimeoutMs',
    'PARLEY_HANDOFF_TIMEOUT_MS',
    '--handoff-timeout-ms',
    int,
    'how long a node waits for another to hand over a resuming session before starting a fresh one',
  ),
  maxInternedApps: o(
    'maxInternedApps',
    'PARLEY_MAX_INTERNED_APPS',
    '--max-interned-apps',
    int,
    'app ids whose string is shared by all their sessions (a memory saving, bounded)',
  ),
  restMaxBodyBytes: o(
    'restMaxBodyBytes',
    'PARLEY_REST_MAX_BODY_BYTES',
    '--rest-max-body-bytes',
    int,
    'larger REST request bodies are refused before parsing',
  ),
  banDefaultSeconds: o(
    'banDefaultSeconds',
    'PARLEY_BAN_DEFAULT_SECONDS',
    '--ban-default-seconds',
    int,
    'a REST ban without `durationSeconds` lasts this long',
  ),
  banMaxSeconds: o(
    'banMaxSeconds',
    'PARLEY_BAN_MAX_SECONDS',
    '--ban-max-seconds',
    int,
    'the longest REST ban',
  ),
  logLevel: o(
    'logLevel',
    'PARLEY_LOG_LEVEL',
    '--log-level',
    level,
    'pino level: fatal, error, warn, info, debug, trace, silent',
  ),
  ...SERVICE_OPTIONS,
  ...LIMIT_OPTIONS,
  ...OPS_OPTIONS,
};

export const OPTIONS: readonly AnyOption[] = Object.values(TABLE);

/** Sets one option from its raw text (generic, so value and key stay paired without a cast). */
function apply<K extends Key>(config: ServerConfig, option: Option<K>, raw: string, name: string) {
  config[option.key] = option.parse(raw, name);
}

/**
 * Reads the config file (`--config` / `PARLEY_CONFIG`), then env vars, then CLI flags
 * (`--flag value` or `--flag=value`), over the defaults: flags win, then env vars.
 */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): ServerConfig {
  const config: ServerConfig = {
    ...DEFAULTS,
    apps: [...DEFAULTS.apps],
    restKeys: [...DEFAULTS.restKeys],
    webhookEvents: [...DEFAULTS.webhookEvents],
    allowedOrigins: [...DEFAULTS.allowedOrigins],
  };
  const flags = parseFlags(argv);
  const file = flags.get('config') ?? (env.PARLEY_CONFIG || undefined);
  if (file !== undefined) {
    for (const [name, raw] of readConfigFile(file)) {
      const option = OPTIONS.find((x) => x.flag === `--${name}`);
      if (!option || option.key === 'configFile')
        throw new Error(
          `${file}: unknown option "${name}"; options: ${OPTIONS.map((x) => x.flag.slice(2)).join(' ')}`,
        );
      apply(config, option, raw, `${file}: "${name}"`);
    }
    config.configFile = file;
  }
  for (const option of OPTIONS) {
    const raw = env[option.env];
    if (raw !== undefined && raw !== '') apply(config, option, raw, `${option.env}/${option.flag}`);
  }
  for (const option of OPTIONS) {
    const raw = flags.get(option.flag.slice(2));
    if (raw !== undefined) apply(config, option, raw, `${option.env}/${option.flag}`);
  }
  return config;
}

/** The options of a JSON config file as raw text: lists may be arrays, numbers numbers. */
function readConfigFile(file: string): [string, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`config file ${file}: not a JSON object of options by flag name`);
  return Object.entries(parsed).map(([name, value]) => {
    if (Array.isArray(value)) return [name, value.map(String).join(',')];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return [name, String(value)];
    throw new Error(`${file}: "${name}" must be a string, a number or a list`);
  });
}

/** The flag values of `argv` by flag name (without `--`); unknown flags are an error. */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const spec: Record<string, { type: 'string' }> = {};
  for (const option of OPTIONS) spec[option.flag.slice(2)] = { type: 'string' };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options: spec, strict: true }).values;
  } catch (err) {
    const unknown = /Unknown option '([^']+)'/.exec(String(err));
    if (unknown)
      throw new Error(
        `unknown option ${unknown[1]}; options: ${OPTIONS.map((x) => x.flag).join(' ')}`,
      );
    throw new Error(String(err instanceof Error ? err.message : err));
  }
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(values))
    if (typeof value === 'string') out.set(name, value);
  return out;
}

/** `parley-server --help`: every option with its env var, its default and what it means. */
export function helpText(): string {
  const lines = [
    'parley-server [options]     (-h, --help: this text; -v, --version: the version)',
    '',
  ];
  for (const o of OPTIONS)
    lines.push(
      `  ${o.flag.padEnd(32)} ${o.env.padEnd(36)} ${o.doc} (default ${JSON.stringify(DEFAULTS[o.key])})`,
    );
  return lines.join('\n') + '\n';
}

/**
 * Composes one Parley node: backend, hub, services, session lifecycle, gateway. `startServer` is
 * what the CLI and the tests call. ARCHITECTURE.md draws the picture.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { systemClock, type Clock } from '@parley/protocol';
import { serviceLimits, type Backend } from './backend/backend.js';
import { createMemoryBackend } from './backend/memory/index.js';
import { createRedisBackend } from './backend/redis/index.js';
import { defaultConfig, type ServerConfig, type ServerDeps } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { EventStream } from './events.js';
import { Gateway } from './gateway.js';
import { Hub } from './hub.js';
import { createLogger, type Logger } from './log.js';
import { LiveStats } from './live-stats.js';
import { Logins } from './login.js';
import { Metrics } from './metrics.js';
import { NodeInbox } from './node-inbox.js';
import { connectUrls, logEvents } from './ops-log.js';
import { Reaper } from './reaper.js';
import { RestApi } from './rest/rest-api.js';
import { Account } from './services/account.js';
import { Attributes } from './services/attributes.js';
import { Auth } from './services/auth.js';
import { ChannelRelay } from './services/channel-relay.js';
import { Channels } from './services/channels.js';
import { Invitations } from './services/invitations.js';
import { Metadata } from './services/metadata.js';
import { Peers } from './services/peers.js';
import { Presence } from './services/presence.js';
import { Telephony } from './services/telephony.js';
import type { SessionService } from './service.js';
import { SessionMoves } from './session-moves.js';
import { Sessions } from './sessions.js';
import { createStaticFiles } from './static-files.js';
import { Sweep } from './sweep.js';
import { UserRouter } from './user-router.js';
import { startWebhooks } from './webhooks/webhooks.js';

export interface RunningServer {
  readonly port: number;
  /** ws://host:port (wss:// with TLS); 127.0.0.1 when bound to every address. */
  readonly url: string;
  /** Every URL clients can connect to (all of this machine's addresses when bound to all). */
  readonly urls: readonly string[];
  readonly config: ServerConfig;
  readonly node: string;
  /** The event stream of this node: every fact, once (see events.ts). */
  readonly events: EventStream;
  /** Sessions on this node and their sockets (for tests and health). */
  readonly hub: Hub;
  readonly sessions: Sessions;
  /** The backend this node runs on (for tests: e.g. that no state is left behind). */
  readonly backend: Backend;
  /** Stops accepting, tells clients to reconnect, flushes the store, releases the port. */
  close(): Promise<void>;
}

/**
 * Starts a node: the configuration's defaults with `options` over them, plus what a test or an
 * embedder injects (`clock`).
 */
export async function startServer(
  options: Partial<ServerConfig> & ServerDeps = {},
  log?: Logger,
): Promise<RunningServer> {
  const { clock: injected, ...overrides } = options;
  const config: ServerConfig = { ...defaultConfig(), ...overrides };
  const clock: Clock = injected ?? systemClock;
  const logger = log ?? createLogger(config.logLevel);
  const tls = readTls(config);
  const limits = { maxPerReceiver: config.offlineMaxPerReceiver, maxAgeMs: config.offlineMaxAgeMs };
  const service = serviceLimits(config);
  const backend: Backend = config.redisUrl
    ? await createRedisBackend({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        limits,
        service,
        log: logger,
      })
    : createMemoryBackend(config.dataDir, limits, clock, service, logger);
  const node = randomBytes(4).toString('hex');
  const events = new EventStream(logger);
  if (logger.isLevelEnabled('info')) logEvents(events, logger);
  const hub = new Hub(config.writeDelayMs, config.maxSocketBufferBytes);
  // Embedded: one node, whose webhook queue outlives its restarts; Redis: each node its own.
  const webhookOwner = config.redisUrl ? node : 'local';
  const metrics = new Metrics({
    events,
    connections: () => gateway.connections,
    sessions: () => hub.size,
    channels: () => hub.channelCount,
    webhookQueueDepth: () => backend.webhooks.size(webhookOwner),
    socketBufferOverflows: () => hub.overflows,
    droppedPeerMessages: () => sessions.droppedMessages,
  });
  const router = new UserRouter(backend, node, hub, logger);
  const auth = new Auth(config.apps, config.tokenCacheSize);
  const presence = new Presence(backend, hub);
  const parkTtlMs = config.resumeWindowMs + 3 * config.heartbeatMs;
  const peers = new Peers(backend, node, hub, router, events, clock, parkTtlMs);
  const sessions = new Sessions(
    config,
    node,
    backend,
    hub,
    router,
    presence,
    peers,
    events,
    clock,
    logger,
  );
  const relay = new ChannelRelay(
    backend.broker,
    backend.channels,
    hub,
    config,
    clock,
    logger,
    node,
    events,
  );
  const channels = new Channels(backend, hub, relay, events, clock);
  const attributes = new Attributes(backend, hub, channels, events, config, clock, logger);
  const invitations = new Invitations(backend, hub, router, events, config, clock);
  const services: SessionService[] = [
    peers,
    presence,
    channels,
    attributes,
    new Metadata(backend, hub, channels, events, clock),
    invitations,
    new Telephony(hub, config, clock),
    new Account(hub, auth, sessions),
  ];
  for (const s of services) sessions.register(s);
  hub.onOverflow = (session, conn) => sessions.overflowed(session, conn);
  const logins = new Logins(
    config,
    node,
    backend,
    hub,
    sessions,
    auth,
    presence,
    peers,
    events,
    clock,
    logger,
  );
  const moves = new SessionMoves(
    config,
    node,
    backend,
    hub,
    sessions,
    logins,
    router,
    presence,
    peers,
    clock,
    logger,
  );
  logins.setMoves(moves);
  const sweep = new Sweep(config, hub, sessions, peers, clock);
  const reaper = new Reaper(config, node, backend, hub, sessions, presence, events, clock, logger);
  await reaper.start();
  await new NodeInbox(backend.broker, node, router, peers, sessions, moves, logger).open();
  const webhooks = await startWebhooks(
    config,
    events,
    backend.webhooks,
    webhookOwner,
    clock,
    logger,
  );
  sweep.start();
  const stats = new LiveStats(
    metrics,
    { connections: () => gateway.connections, sessions: () => hub.size },
    config.statsIntervalMs,
    config.statsWindowMs,
    clock,
  );
  const rest = new RestApi({
    config,
    backend,
    sessions,
    peers,
    channels,
    attributes,
    events,
    clock,
    log: logger,
    admin: {
      stats: () => stats.view(node),
      nodes: async () => ({
        mode: config.redisUrl ? 'redis' : 'embedded',
        nodes: (await backend.nodes.liveNodes()).map((n) => ({ ...n, self: n.node === node })),
      }),
    },
  });
  const dispatcher = new Dispatcher(services, hub, logins, sessions, logger, (err) =>
    backend.unavailable(err),
  );
  const gateway: Gateway = new Gateway(
    dispatcher,
    hub,
    {
      loginTimeoutMs: config.loginTimeoutMs,
      sweepIntervalMs: config.sweepIntervalMs,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      maxConnections: config.maxConnections,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      rest: (req, res) => metrics.handle(req, res) || rest.handle(req, res),
      files: createStaticFiles({}, logger),
      health: (): Record<string, unknown> => ({
        node,
        sessions: hub.size,
        connections: gateway.connections,
      }),
      tls,
      allowedOrigins: config.allowedOrigins,
    },
    clock,
    logger,
  );
  const port = await gateway.listen(config.port, config.host);
  const urls = connectUrls(config.host, port, tls !== undefined);
  let closing: Promise<void> | undefined;
  return {
    port,
    url: urls[0]!,
    urls,
    config,
    node,
    events,
    hub,
    sessions,
    backend,
    close() {
      closing ??= (async () => {
        await gateway.drain();
        await peers.persistAll(); // flagged messages of resuming sessions outlive the process
        webhooks?.stop();
        stats.stop();
        sweep.stop();
        reaper.stop();
        relay.stop();
        attributes.stop();
        invitations.stop();
        await backend.close();
      })();
      return closing;
    },
  };
}

/** The TLS certificate and key files, read at start (both or neither). */
function readTls(config: ServerConfig): { cert: Buffer; key: Buffer } | undefined {
  if (config.tlsCert === undefined && config.tlsKey === undefined) return undefined;
  if (config.tlsCert === undefined || config.tlsKey === undefined)
    throw new Error('PARLEY_TLS_CERT and PARLEY_TLS_KEY go together: set both or neither');
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return {
    cert: read(config.tlsCert, 'PARLEY_TLS_CERT'),
    key: read(config.tlsKey, 'PARLEY_TLS_KEY'),
  };
}

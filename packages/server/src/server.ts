/**
 * Composes one Parley node: backend, services, session lifecycle, gateway. `startServer` is
 * what the CLI and the tests call.
 */
import { randomBytes } from 'node:crypto';
import { Limits } from '@parley/protocol';
import type { Backend } from './backend/backend.js';
import { createMemoryBackend } from './backend/memory/index.js';
import { createRedisBackend } from './backend/redis/index.js';
import { defaultConfig, type ServerConfig } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { Gateway } from './gateway.js';
import { createLogger, type Logger } from './log.js';
import { Auth } from './services/auth.js';
import { Peers } from './services/peers.js';
import { Presence } from './services/presence.js';
import { Invitations } from './services/invitations.js';
import { Channels } from './services/channels.js';
import { Attributes } from './services/attributes.js';
import { Metadata } from './services/metadata.js';
import { Telephony } from './services/telephony.js';
import { RestApi } from './rest.js';
import { createStaticFiles } from './static-files.js';
import { Sessions } from './sessions.js';

export interface RunningServer {
  readonly port: number;
  /** ws://host:port */
  readonly url: string;
  readonly config: ServerConfig;
  readonly node: string;
  /** Sessions on this node (for tests and health). */
  readonly sessions: Sessions;
  /** The backend this node runs on (for tests: e.g. that no state is left behind). */
  readonly backend: Backend;
  /** The channel service (for tests: e.g. how many times channel events were encoded). */
  readonly channels: Channels;
  /** Stops accepting, tells clients to reconnect, flushes the store, releases the port. */
  close(): Promise<void>;
}

export async function startServer(
  overrides: Partial<ServerConfig> = {},
  log?: Logger,
): Promise<RunningServer> {
  const config: ServerConfig = { ...defaultConfig(), ...overrides };
  const logger = log ?? createLogger(config.logLevel);
  const limits = { maxPerReceiver: config.offlineMaxPerReceiver, maxAgeMs: config.offlineMaxAgeMs };
  const backend: Backend = config.redisUrl
    ? await createRedisBackend({ url: config.redisUrl, prefix: config.redisPrefix, limits })
    : createMemoryBackend(config.dataDir, limits);
  const node = randomBytes(4).toString('hex');
  const auth = new Auth(config.apps);
  const presence = new Presence(backend, Limits.maxSubscriptions);
  const peers = new Peers(backend, node);
  const sessions = new Sessions(config, node, backend, auth, presence, peers, logger);
  const channels = new Channels(backend, config, logger, node);
  const attributes = new Attributes(backend, channels, config, logger);
  sessions.register(channels);
  sessions.register(attributes);
  sessions.register(new Metadata(backend, channels));
  const invitations = new Invitations(backend, config, node, (app, uid, e) =>
    sessions.router.toUser(app, uid, e),
  );
  sessions.register(invitations);
  sessions.register(new Telephony(config));
  await sessions.start();
  const rest = new RestApi(config.restKeys, sessions);
  const dispatcher = new Dispatcher(sessions, auth, presence, peers, logger, (err) =>
    backend.unavailable(err),
  );
  const gateway: Gateway = new Gateway(
    dispatcher,
    {
      loginTimeoutMs: config.loginTimeoutMs,
      writeDelayMs: config.writeDelayMs,
      rest: (req, res) => rest.handle(req, res),
      files: createStaticFiles(),
      health: (): Record<string, unknown> => ({
        node,
        sessions: sessions.hub.size,
        connections: gateway.connections,
      }),
    },
    logger,
  );
  const port = await gateway.listen(config.port, config.host);
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `ws://${shownHost}:${port}`,
    config,
    node,
    sessions,
    backend,
    channels,
    close() {
      closing ??= (async () => {
        await gateway.drain();
        sessions.stop();
        channels.close();
        attributes.close();
        invitations.close();
        await backend.close();
      })();
      return closing;
    },
  };
}

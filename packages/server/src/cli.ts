#!/usr/bin/env node
/** `parley-server`: starts one node with the configuration from env vars and flags. */
import { helpText, loadConfig } from './options.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText());
    return;
  }
  const config = loadConfig(process.env, argv);
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  const mode =
    config.apps.length === 0 ? 'open mode (any appId, no token)' : `${config.apps.length} app(s)`;
  log.info(
    { url: server.url, port: server.port, node: server.node, dataDir: config.dataDir },
    `parley listening on ${server.url} — ${mode}`,
  );
  process.stdout.write(
    `Parley listening on ${server.url} (http://${server.url.slice(5)}/healthz)\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining clients');
    server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`parley-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

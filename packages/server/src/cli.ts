#!/usr/bin/env -S node --max-semi-space-size=32
/**
 * `parley-server`: starts one node with the configuration from a config file, env vars and flags.
 * Everything it writes on stdout while it runs is a JSON log line (`--help` and `--version`
 * print text and exit).
 */
import { readFileSync } from 'node:fs';
import { helpText, loadConfig } from './options.js';
import { createLogger, type Logger } from './log.js';
import { startLine } from './ops-log.js';
import { startServer } from './server.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(log: { current: Logger }): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText());
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`parley-server ${version()}\n`);
    return;
  }
  // A reader of our stdout that goes away (EPIPE) must not stop the server.
  process.stdout.on('error', () => {});
  const config = loadConfig(process.env, argv);
  log.current = createLogger(config.logLevel);
  const logger = log.current;
  // With its stack, as JSON. After an uncaught exception the process state is unknown: exit 1
  // for the supervisor to restart it; a rejection nobody handled is logged and stops nothing.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, `uncaught exception: ${err.message}`);
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  const server = await startServer(config, logger);
  const line = startLine(config, server.urls, server.node);
  // The start line at every level, `silent` too: it says where to connect (and the tests of
  // the C++ SDK read it from a silent server).
  const startLog = logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
  startLog.info({ ...line.fields, port: server.port, version: version() }, line.msg);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining clients');
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const log = { current: createLogger('info') };
main(log).catch((err: unknown) => {
  // One JSON line that says what is wrong (a bad option, Redis unreachable, the port taken).
  log.current.fatal(
    { err: err instanceof Error ? err.message : String(err) },
    `parley-server cannot start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});

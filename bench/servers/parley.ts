/**
 * Parley under test: `startServer` with the configuration the CLI would build from the same
 * flags (`loadConfig`), plus the bench control channel. Flags after the script name are
 * parley-server flags.
 */
import { loadConfig, startServer } from '@parley/server';
import { serveControl } from './control.js';

const config = loadConfig(process.env, process.argv.slice(2));
const server = await startServer(config);
serveControl(server.port);
// As the CLI does (S8 restarts the server with SIGTERM): drain, tell clients to reconnect.
process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});

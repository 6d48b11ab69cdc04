/** A real Parley server in this process: port 0, a fresh data dir, no logs. */
// The server's source, as its white-box tests import it: one RunningServer type for both (the
// package name resolves types to dist/, a second declaration of every class).
import {
  startServer,
  type RunningServer,
  type ServerConfig,
  type ServerDeps,
} from '../../server/src/index.js';
import { ManualClock } from './manual-clock.js';
import { tempDir } from './temp-dir.js';

/** The app id every test uses unless it needs another (open mode takes any). */
export const APP = 'test_app';

/** `overrides` may also carry the server's dependencies, e.g. `{ clock: new ManualClock() }`. */
export async function testServer(
  overrides: Partial<ServerConfig> & ServerDeps = {},
): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDir(),
    logLevel: 'silent',
    ...overrides,
  });
}

/**
 * A test server on a ManualClock: its timers and time move only when the test advances the
 * clock. The clients ping on real time, so the server's liveness windows (resume window,
 * unreachable-after) are an hour unless `overrides` says otherwise: longer than any advance.
 */
export async function clockedServer(
  overrides: Partial<ServerConfig> = {},
): Promise<{ server: RunningServer; clock: ManualClock }> {
  const clock = new ManualClock();
  const server = await testServer({
    resumeWindowMs: 3_600_000,
    unreachableAfterMs: 3_600_000,
    ...overrides,
    clock,
  });
  return { server, clock };
}

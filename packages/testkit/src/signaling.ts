/** The legacy Signaling layer in tests: sessions on a real server, recorded callbacks. */
import Signal, { type Session, type SignalClient, type SignalOptions } from '@parley/signaling';
import { APP } from './test-server.js';
import { until } from './wait.js';

/** A Signal object for `server`, with fast reconnects. */
export function signal(
  server: { url: string },
  options: SignalOptions = {},
  appId = APP,
): SignalClient {
  return Signal(appId, {
    serverUrl: server.url,
    reconnectBaseDelayMs: 50,
    reconnectMaxDelayMs: 300,
    ...options,
  });
}

/** Logs `account` in and resolves once `onLoginSuccess` fired (rejects on `onLoginFailed`). */
export function signedIn(
  server: { url: string },
  account: string,
  options: SignalOptions = {},
  token = '_no_need_token',
): Promise<Session> {
  const session = signal(server, options).login(account, token);
  return new Promise((resolve, reject) => {
    session.onLoginSuccess = () => resolve(session);
    session.onLoginFailed = (ecode) => reject(new Error(`onLoginFailed(${ecode})`));
  });
}

/** Calls recorded as `[name, ...args]`, in order. */
export type Recorded = unknown[][];

/**
 * Sets each named callback of `target` to record its calls into `log` (a shared log keeps the
 * order across objects).
 */
export function record<T extends object>(
  target: T,
  names: readonly (keyof T & string)[],
  log: Recorded = [],
): Recorded {
  for (const name of names)
    (target as Record<string, unknown>)[name] = (...args: unknown[]) => log.push([name, ...args]);
  return log;
}

/** Waits until `log` holds `n` entries (for `what`). */
export function entries(log: Recorded, n: number, what: string, timeoutMs = 10_000): Promise<void> {
  return until(
    () => log.length >= n,
    `${what} (${log.length}/${n}: ${JSON.stringify(log)})`,
    timeoutMs,
  );
}

/** Logs the session out and waits for `onLogout`. */
export async function signOut(session: Session): Promise<void> {
  if (session.getStatus() === 0) return;
  await new Promise<void>((resolve) => {
    session.onLogout = () => resolve();
    session.logout();
  });
}

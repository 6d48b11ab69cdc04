/** The legacy Signaling layer in tests: sessions on a real server, recorded callbacks. */
import type { RtmClient } from '@parley/sdk';
import Signal, {
  type Channel,
  type Session,
  type SignalClient,
  type SignalOptions,
} from '@parley/signaling';
import { arrival, markerText } from './markers.js';
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

/** Something that sends a peer text: a Signaling session or an RTM client. */
type PeerSender = Session | RtmClient;

function sendText(from: PeerSender, to: string, text: string): void {
  if ('sendMessageToPeer' in from) void from.sendMessageToPeer({ text }, to);
  else from.messageInstantSend(to, text);
}

/**
 * Markers for Signaling (see markers.ts): a later message, waited for, shows that nothing
 * the server sent before it is still to come. The marker goes to `to`'s callback by way of a
 * wrapper that swallows it; every other message still reaches the callback the test set.
 */
export async function sessionMarker(
  from: PeerSender,
  to: Session,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  const marker = arrival(`marker ${text} at ${to.account}`, timeoutMs);
  const before = to.onMessageInstantReceive;
  to.onMessageInstantReceive = (account, uid, msg) =>
    msg === text ? marker.arrive() : before?.(account, uid, msg);
  try {
    sendText(from, to.account, text);
    await marker.arrived;
  } finally {
    marker.stop();
    to.onMessageInstantReceive = before;
  }
}

/** A marker channel message from `from` (a joined channel) to `to` (a member's channel). */
export async function channelMessageMarker(
  from: Channel,
  to: Channel,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  const marker = arrival(`channel marker ${text}`, timeoutMs);
  const before = to.onMessageChannelReceive;
  to.onMessageChannelReceive = (account, uid, msg) =>
    msg === text ? marker.arrive() : before?.(account, uid, msg);
  try {
    from.messageChannelSend(text);
    await marker.arrived;
  } finally {
    marker.stop();
    to.onMessageChannelReceive = before;
  }
}

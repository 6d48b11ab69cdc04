/**
 * `RtmConfig`, the options of `createInstance`, and every default and timing of the SDK in one
 * place, with its unit in its name.
 */
import type { Clock } from '@parley/protocol';
import type { LogFilterType } from './constants.js';

/** `createInstance` options: agora-rtm-sdk's RtmConfig plus where the Parley server is. */
export interface RtmConfig {
  enableLogUpload?: boolean;
  logFilter?: LogFilterType;
  enableCloudProxy?: boolean;
  /**
   * The Parley server's base URL (`ws://`, `wss://`, `http://`, `https://`), or a list tried
   * in order. In a page served by the server it defaults to the page's origin.
   */
  serverUrl?: string | string[];
  /** Login deadline (default 12 000 ms, as the web SDK). */
  loginTimeoutMs?: number;
  /** Deadline of every other request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Reconnect backoff: full jitter between 0 and min(max, base · 2^attempt). */
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /**
   * Parley: send the login in the WebSocket upgrade (`parley.v1.early-login`), so its answer
   * comes right behind the 101, one round trip less. Off by default: the login, token
   * included, then travels in the upgrade URL, which proxies and access logs may record.
   * A server that does not take it is answered with the login frame as usual.
   */
  earlyLogin?: boolean;
  /**
   * The time and the timers the client runs on: every deadline (login, requests), the
   * keep-alive and its watchdog, the reconnect backoff and the login and renewToken rate
   * limits. For tests and embedders; apps leave it out (default: the host's clock and timers).
   *
   * @example
   * ```ts
   * const clock = new ManualClock(); // from @parley/testkit
   * const client = AgoraRTM.createInstance(appId, { serverUrl, clock });
   * const joined = client.createChannel('lobby').join();
   * await clock.advance(10_000); // a join the server never answers now fails with TIMEOUT
   * ```
   */
  clock?: Clock;
}

/** The defaults of RtmConfig's options. */
export const ConfigDefaults = {
  loginTimeoutMs: 12_000,
  requestTimeoutMs: 10_000,
  reconnectBaseDelayMs: 300,
  reconnectMaxDelayMs: 4_000,
} as const;

/** Timings and sizes of the SDK that no option changes. */
export const Timing = {
  /** How often the connection checks its deadlines: one timer for all of them. */
  sweepIntervalMs: 250,
  /** Keep-alive interval until the server's login reply says its own (`hb`). */
  initialHeartbeatMs: 2_500,
  /** The socket is taken for dead after this many heartbeats without a frame… */
  watchdogHeartbeats: 4,
  /** …but never sooner than this. */
  minWatchdogMs: 10_000,
  /** The reconnect backoff stops doubling after this many attempts. */
  maxBackoffDoublings: 16,
  /** The window of the login and renewToken rate limits. */
  callRateWindowMs: 1_000,
  /** Peer message ids remembered to drop duplicates. */
  peerMessageDedupCapacity: 4_096,
  /** Received invitation ids remembered to drop duplicates (as the web SDK's LRU). */
  invitationDedupCapacity: 10_000,
  /** Tries of an invitation request that got no answer (each is safe to repeat). */
  invitationRequestTries: 3,
} as const;

/**
 * @parley/signaling — the legacy Agora Signaling API (the Web SDK's, with the C++ SDK's session
 * methods) on top of @parley/sdk, interoperating with RTM clients on the same server.
 *
 * ```ts
 * import Signal from '@parley/signaling';
 * const signal = Signal(appId, { serverUrl: 'ws://localhost:8080' });
 * const session = signal.login('alice', '_no_need_token');
 * session.onLoginSuccess = (uid) => {
 *   const channel = session.channelJoin('lobby');
 *   channel.onMessageChannelReceive = (account, uid, msg) => console.log(account, msg);
 * };
 * ```
 */
import type { RtmConfig } from '@parley/sdk';
import { Session, type SessionCallbacks, type SignalStatus } from './session.js';

/**
 * `Signal(appId, options)`: where the Parley server is (`serverUrl`), and any other RtmConfig.
 * `clock` (for tests and embedders; apps leave it out) is the RTM client's clock and the
 * session's own: the `reconnectTime` give-up and an invitation's `_timeout` run on it too.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(); // from @parley/testkit
 * const session = Signal(appId, { serverUrl, clock }).login('alice', '_no_need_token');
 * // …after onLoginSuccess, a call with {"_timeout": 5} fails once the clock moved 5 s:
 * await clock.advance(5_000);
 * ```
 */
export type SignalOptions = RtmConfig;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING';
const LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING'];

/** The Signaling API level this package implements (Web SDK 1.3.0 source, 1.4.0 docs). */
export const SIGNALING_SDK_VERSION = '1.4.0';

export class SignalClient {
  readonly appid: string;
  /** The appid again (the Web SDK's vendor id). */
  readonly vid: string;
  readonly #options: SignalOptions;
  #session: Session | undefined;
  #callbacks: SessionCallbacks = {};
  #logLevel: LogLevel | undefined;

  /** @internal Use `Signal(appId, options)`. */
  constructor(appId: string, options: SignalOptions = {}) {
    this.appid = appId;
    this.vid = appId;
    this.#options = { ...options };
  }

  /**
   * Logs `account` in and answers its session at once; assign the callbacks next.
   * `token` is a Signaling token, or `'_no_need_token'` for an app without a certificate.
   * Logged in or logging in already: the call is ignored and answers the current session.
   * The connection is resumed after a drop for up to `reconnectTime` seconds
   * (`reconnectCount` 0: not at all), then `onLogout(102)`.
   */
  login(account: string, token: string, reconnectCount = 10, reconnectTime = 30): Session {
    const current = this.#session;
    if (current && current.getStatus() !== 0) return current;
    const session = new Session(account, token, {
      appId: this.appid,
      config: this.#options,
      reconnectCount,
      reconnectTimeS: reconnectTime,
      log: (level, text) => this.#print(level, text),
    });
    Object.assign(session, this.#callbacks);
    this.#session = session;
    return session;
  }

  /**
   * C++ `callbackSet`: session callbacks given once, before login if wished; every session of
   * this object gets them (assigning properties on the session works as well).
   */
  callbackSet(callbacks: SessionCallbacks): void {
    this.#callbacks = { ...callbacks };
    if (this.#session) Object.assign(this.#session, this.#callbacks);
  }

  /** C++ `callbackGet`: what `callbackSet` was given. */
  callbackGet(): SessionCallbacks {
    return { ...this.#callbacks };
  }

  /** C++ `login2`: login with the retry limits in the C++ order (seconds, then count). */
  login2(account: string, token: string, retryTimeS = 30, retryCount = 3): Session {
    return this.login(account, token, retryCount, retryTimeS);
  }

  /** C++: logs the current session out. */
  logout(): void {
    this.#session?.logout();
  }

  /** C++: the current session's status (0 when there is none). */
  getStatus(): SignalStatus {
    return this.#session?.getStatus() ?? 0;
  }

  getSDKVersion(): string {
    return SIGNALING_SDK_VERSION;
  }

  /**
   * Turns this package's console log on or off: logins, logouts and reconnects at 'INFO',
   * failures at 'WARNING'; `level` is the lowest level printed.
   */
  setDoLog(isEnabled = false, level: LogLevel = 'DEBUG'): void {
    this.#logLevel = isEnabled ? level : undefined;
  }

  #print(level: LogLevel, text: string): void {
    const min = this.#logLevel;
    if (min === undefined || LEVELS.indexOf(level) < LEVELS.indexOf(min)) return;
    (level === 'WARNING' ? console.warn : console.info)(`[signaling ${level}] ${text}`);
  }

  /** Agora's access point, LBS and proxy switches: nothing to switch on a Parley server. */
  setup_debugging(_name: string, _value: string): void {}

  /** C++ `destroy`: logs out; the object is not to be used afterwards. */
  destroy(): void {
    this.logout();
  }
}

/** `Signal(appId, { serverUrl })`, also callable with `new`. */
export interface SignalFactory {
  (appId: string, options?: SignalOptions): SignalClient;
  new (appId: string, options?: SignalOptions): SignalClient;
}

const Signal = function Signal(appId: string, options?: SignalOptions): SignalClient {
  return new SignalClient(appId, options);
} as SignalFactory;

export default Signal;
export {
  Session,
  type SessionCallbacks,
  type SignalStatus,
  type SessionOptions,
  type InvokeCallback,
} from './session.js';
export { Channel, type ChannelState, type AttrUpdateType, type ResultCallback } from './channel.js';
export { Call, INVITE_MESSAGE_PREFIX, type InviteOptions } from './calls.js';
export { SignalingCode } from './codes.js';
export { signalUid } from './callbacks.js';
export { INVOKE_PREFIX, INVOKE_FUNCTIONS, type InvokeResponse } from './invoke.js';

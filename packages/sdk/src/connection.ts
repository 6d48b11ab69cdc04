/**
 * Connection: the socket lifecycle of one RtmClient. Login with a deadline, request/response
 * correlation with timeouts (requests.ts), keep-alive pings and a watchdog, reconnect with
 * full-jitter backoff across the server URLs, and resume of the same session so every reliable
 * push arrives exactly once and in order. Every frame goes out through protocol's encoder and
 * comes in through its server-frame check. One sweep timer, on the injected clock, serves every
 * deadline: nothing is scheduled per request.
 */
import {
  CloseCode,
  encodeFrame,
  isLoginResult,
  LoginError,
  LogoutError,
  parseServerFrame,
  SUBPROTOCOL,
  SUBPROTOCOL_EARLY_LOGIN,
  EARLY_LOGIN_PARAM,
  bytesToBase64,
  type ChannelPush,
  type Clock,
  type ErrFrame,
  type KickReason,
  type LoginReq,
  type LoginResult,
  type OkFrame,
  type ReliablePush,
  type RequestBody,
  type ResultOf,
} from '@parley/protocol';
import { Timing } from './config.js';
import { createRtmError, timeoutError, type RtmError } from './errors.js';
import { Requests, type ApiCall, type Pending } from './requests.js';
import { sweepOf } from './sweeps.js';
import {
  builtinTransport,
  getTransport,
  OPEN,
  socketUrl,
  type SocketLike,
  type Transport,
} from './transport.js';

/** Past this, the login stays out of the upgrade URL (servers cap request heads near 16 KiB). */
const MAX_EARLY_LOGIN_CHARS = 4096;

export type State = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED' | 'RECONNECTING' | 'ABORTED';
export type Reason =
  | 'LOGIN'
  | 'LOGIN_SUCCESS'
  | 'LOGIN_FAILURE'
  | 'LOGIN_TIMEOUT'
  | 'INTERRUPTED'
  | 'LOGOUT'
  | 'BANNED_BY_SERVER'
  | 'REMOTE_LOGIN'
  | 'TOKEN_EXPIRED';

/** A push the connection does not handle itself: it goes to the feature that takes its type. */
export type FeaturePush = ReliablePush | ChannelPush;

export interface ConnectionHooks {
  state(state: State, reason: Reason): void;
  /** A push for the features; a reliable one once, in order. */
  push(frame: FeaturePush): void;
  willExpire(): void;
  tokenExpired(): void;
  banned(): void;
  /** The server no longer had our session (restart, window passed): restore what the app set up. */
  sessionRenewed(result: LoginResult): void;
  /** What to send with a resume besides the session sequence: the last `cs` seen per channel. */
  resumeCursor(): Record<string, number>;
  /** The session resumed on another node, which numbers channel events from `cs` on. */
  channelSequences(cs: Record<string, number>): void;
}

export interface ConnectionOptions {
  urls: string[];
  appId: string;
  loginTimeoutMs: number;
  requestTimeoutMs: number;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  clock: Clock;
  transport?: Transport;
  /** Offer the login in the upgrade (RtmConfig.earlyLogin). */
  earlyLogin?: boolean;
}

interface LoginWaiter {
  resolve: () => void;
  reject: (e: RtmError) => void;
  deadline: number;
}

const LOGOUT: ApiCall = {
  method: 'RtmClient.logout',
  api: 'logout',
  timeoutCode: LogoutError.REJECTED,
  notLoggedInCode: LogoutError.USER_NOT_LOGGED_IN,
};

const PING = encodeFrame({ t: 'ping' });

export class Connection {
  state: State = 'DISCONNECTED';
  private socket: SocketLike | null = null;
  private uid = '';
  private token: string | undefined;
  private sid: string | null = null;
  private lastSeq = 0;
  private nextId = 1;
  private loginId = 0;
  private readonly requests: Requests;
  private loginWaiter: LoginWaiter | null = null;
  private urlIndex = 0;
  private attempt = 0;
  private heartbeatMs: number = Timing.initialHeartbeatMs;
  private lastRxMs = 0;
  private lastPingMs = 0;
  private retryAt = 0;
  private ackScheduled = false;
  private tokenExpiredSignalled = false;
  private readonly clock: Clock;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.clock = options.clock;
    this.requests = new Requests(options.requestTimeoutMs);
  }

  get sessionId(): string | null {
    return this.sid;
  }

  /** Logs in; resolves once CONNECTED, rejects with a login error code. */
  login(uid: string, token: string | undefined): Promise<void> {
    this.uid = uid;
    this.token = token;
    this.tokenExpiredSignalled = false;
    this.sid = null;
    this.lastSeq = 0;
    this.attempt = 0;
    this.setState('CONNECTING', 'LOGIN');
    return new Promise<void>((resolve, reject) => {
      const deadline = this.clock.now() + this.options.loginTimeoutMs;
      this.loginWaiter = { resolve, reject, deadline };
      this.startSweep();
      this.open();
    });
  }

  /** Uses a new token from now on (also for reconnects). */
  setToken(token: string): void {
    this.token = token;
    this.tokenExpiredSignalled = false;
    if (this.state === 'RECONNECTING' && !this.socket) this.retryAt = this.clock.now();
  }

  async logout(): Promise<void> {
    const state = this.state;
    if (state === 'DISCONNECTED')
      throw createRtmError(
        'logout',
        LogoutError.USER_NOT_LOGGED_IN,
        'logout: the client is not logged in',
      );
    if (state === 'CONNECTED') {
      try {
        await this.request(LOGOUT, { t: 'logout' });
      } catch {
        // The session ends on the server anyway once the socket closes and its window passes.
      }
    }
    if (this.loginWaiter) {
      this.loginWaiter.reject(
        createRtmError('login', LoginError.ABORTED_BY_LOGOUT, 'login: aborted by logout()'),
      );
      this.loginWaiter = null;
    }
    this.teardown('logout');
    this.setState('DISCONNECTED', 'LOGOUT');
  }

  /**
   * Sends a request and resolves with its result. While RECONNECTING the request waits for the
   * session to come back, up to its timeout; in other states it fails with the call's
   * not-logged-in code.
   */
  request<B extends RequestBody>(call: ApiCall, body: B): Promise<ResultOf<B['t']>> {
    if (this.state !== 'CONNECTED' && this.state !== 'RECONNECTING')
      return Promise.reject(
        createRtmError(
          call.api,
          call.notLoggedInCode,
          `${call.method}: the client is not logged in`,
        ),
      );
    return new Promise((resolve, reject) => {
      const p: Pending = {
        id: this.nextId++,
        call,
        body,
        deadline: this.clock.now() + this.options.requestTimeoutMs,
        resolve: resolve as (r: unknown) => void,
        reject,
      };
      if (this.state === 'CONNECTED' && this.socket) this.transmit(p);
      else this.requests.queue(p);
    });
  }

  private transmit(p: Pending): void {
    this.requests.sent(p);
    this.socket!.send(encodeFrame({ ...p.body, i: p.id }));
  }

  private setState(state: State, reason: Reason): void {
    this.state = state;
    this.hooks.state(state, reason);
  }

  private open(): void {
    const urls = this.options.urls;
    const url = socketUrl(urls[this.urlIndex % urls.length]!);
    this.loginId = this.nextId++;
    const login: LoginReq = { t: 'login', i: this.loginId, a: this.options.appId, u: this.uid };
    if (this.token) login.k = this.token;
    if (this.sid) login.r = { sid: this.sid, s: this.lastSeq, c: this.hooks.resumeCursor() };
    const text = encodeFrame(login);
    // With earlyLogin the login rides in the upgrade where the server takes it
    // (parley.v1.early-login): its answer comes right behind the 101, one round trip less.
    // Built-in transports only (a custom one takes a single subprotocol).
    const early =
      this.options.earlyLogin && !this.options.transport ? builtinTransport() : undefined;
    const b64 = early ? base64url(text) : '';
    let sock: SocketLike & { protocol?: string };
    try {
      sock =
        early && b64.length <= MAX_EARLY_LOGIN_CHARS
          ? early(`${url}${url.includes('?') ? '&' : '?'}${EARLY_LOGIN_PARAM}=${b64}`, [
              SUBPROTOCOL_EARLY_LOGIN,
              SUBPROTOCOL,
            ])
          : (this.options.transport ?? getTransport())(url, SUBPROTOCOL);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = sock;
    sock.onopen = () => {
      if (this.socket !== sock) return;
      this.lastRxMs = this.clock.now();
      // An older server picked parley.v1: it waits for the login frame.
      if (sock.protocol !== SUBPROTOCOL_EARLY_LOGIN) sock.send(text);
    };
    sock.onmessage = (ev) => {
      if (this.socket === sock && typeof ev.data === 'string') this.onFrame(ev.data);
    };
    sock.onclose = () => this.onClose(sock);
    sock.onerror = () => undefined;
  }

  private onFrame(text: string): void {
    this.lastRxMs = this.clock.now();
    const f = parseServerFrame(text);
    if (!f) return; // not a server frame of parley.v1: dropped
    switch (f.t) {
      case 'ok':
      case 'err':
        if (f.i === this.loginId) this.onLoginReply(f);
        else this.requests.settle(f);
        return;
      case 'exp':
        return this.hooks.willExpire();
      case 'kick':
        return this.onKick(f.why);
      case 'pong':
      case 'bye':
        return;
      default:
        if (!('s' in f)) return this.hooks.push(f);
        // A reliable push: numbered by the session; seen ones (replayed after a resume) are dropped.
        if (f.s > this.lastSeq) {
          this.lastSeq = f.s;
          this.hooks.push(f);
        }
        this.scheduleAck();
    }
  }

  private onLoginReply(f: OkFrame | ErrFrame): void {
    if (f.t === 'ok') {
      const r = f.r;
      if (!isLoginResult(r)) {
        // Not a login result: this attempt failed; try again (until the login deadline).
        this.dropSocket();
        this.scheduleRetry();
        return;
      }
      const renewed = this.sid !== null && !r.resumed;
      if (!r.resumed) this.lastSeq = 0;
      this.sid = r.sid;
      this.heartbeatMs = r.hb;
      this.attempt = 0;
      const wasConnecting = this.state === 'CONNECTING';
      this.setState('CONNECTED', 'LOGIN_SUCCESS');
      if (wasConnecting && this.loginWaiter) {
        this.loginWaiter.resolve();
        this.loginWaiter = null;
      }
      for (const p of this.requests.takeQueued()) this.transmit(p);
      if (r.resumed && r.cs) this.hooks.channelSequences(r.cs);
      if (renewed) this.hooks.sessionRenewed(r);
      return;
    }
    if (this.state === 'CONNECTING') {
      const waiter = this.loginWaiter;
      this.loginWaiter = null;
      this.teardown('login failed');
      this.setState('DISCONNECTED', 'LOGIN_FAILURE');
      waiter?.reject(createRtmError('login', f.c, f.m));
      return;
    }
    // Reconnecting: an expired token is the app's to renew; keep trying meanwhile.
    if (f.c === LoginError.TOKEN_EXPIRED && !this.tokenExpiredSignalled) {
      this.tokenExpiredSignalled = true;
      this.hooks.tokenExpired();
    }
    this.dropSocket();
    this.scheduleRetry();
  }

  private onKick(why: KickReason): void {
    this.teardown(`session ended: ${why}`);
    this.setState('ABORTED', why);
    if (why === 'TOKEN_EXPIRED') this.hooks.tokenExpired();
    if (why === 'BANNED_BY_SERVER') this.hooks.banned();
  }

  private onClose(sock: SocketLike): void {
    if (this.socket !== sock) return;
    this.socket = null;
    this.requests.failInFlight('the connection was lost');
    if (this.state === 'CONNECTED') this.setState('RECONNECTING', 'INTERRUPTED');
    if (this.state === 'CONNECTING' || this.state === 'RECONNECTING') this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const cap = Math.min(
      this.options.reconnectMaxDelayMs,
      this.options.reconnectBaseDelayMs * 2 ** Math.min(this.attempt, Timing.maxBackoffDoublings),
    );
    this.attempt++;
    this.urlIndex++;
    this.retryAt = this.clock.now() + Math.random() * cap;
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    // One cumulative ack for every push of this turn: not a timer, so not on the clock.
    queueMicrotask(() => {
      this.ackScheduled = false;
      if (this.socket && this.socket.readyState === OPEN)
        this.socket.send(encodeFrame({ t: 'ack', s: this.lastSeq }));
    });
  }

  private startSweep(): void {
    sweepOf(this.clock).join(this);
  }

  /** Checks every deadline of the connection (the clock's shared sweep calls it). */
  sweep(now: number): void {
    if (this.state === 'CONNECTING' && this.loginWaiter && now >= this.loginWaiter.deadline) {
      const waiter = this.loginWaiter;
      this.loginWaiter = null;
      this.teardown('login timed out');
      this.setState('DISCONNECTED', 'LOGIN_TIMEOUT');
      const seconds = this.options.loginTimeoutMs / 1000;
      waiter.reject(timeoutError('login', LoginError.TIMEOUT, 'RtmClient.login', seconds));
      return;
    }
    if (
      !this.socket &&
      (this.state === 'CONNECTING' || this.state === 'RECONNECTING') &&
      now >= this.retryAt
    ) {
      this.retryAt = Infinity;
      this.open();
    }
    if (this.state === 'CONNECTED' && this.socket) {
      const silenceMs = Math.max(
        Timing.watchdogHeartbeats * this.heartbeatMs,
        Timing.minWatchdogMs,
      );
      if (now - this.lastRxMs > silenceMs) {
        // Nothing heard for too long: the socket is dead even if it looks open.
        this.dropSocket();
        this.requests.failInFlight('the connection was lost');
        this.setState('RECONNECTING', 'INTERRUPTED');
        this.scheduleRetry();
      } else if (now - this.lastPingMs >= this.heartbeatMs) {
        this.lastPingMs = now;
        this.socket.send(PING);
      }
    }
    this.requests.expire(now);
  }

  private dropSocket(): void {
    const sock = this.socket;
    this.socket = null;
    if (sock) {
      sock.onclose = null;
      sock.onmessage = null;
      try {
        sock.close(CloseCode.NORMAL);
      } catch {
        // already closed
      }
    }
  }

  /** The session is over: no socket, no sweep, every request failed. */
  private teardown(why: string): void {
    this.dropSocket();
    sweepOf(this.clock).leave(this);
    this.requests.failAll(why);
    this.sid = null;
    this.lastSeq = 0;
  }
}

/** base64url of a string's UTF-8 bytes, unpadded (safe in a query string). */
function base64url(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

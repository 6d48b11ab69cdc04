/**
 * Connection: the socket lifecycle of one RtmClient. Login with a deadline, request/response
 * correlation with timeouts, keep-alive pings and a watchdog, reconnect with full-jitter
 * backoff across the server URLs, and resume of the same session so every reliable push
 * arrives exactly once and in order. One sweep timer serves every deadline: nothing is
 * scheduled per request.
 */
import {
  CloseCode,
  LoginError,
  LogoutError,
  SUBPROTOCOL,
  type ApiName,
  type KickReason,
  type LoginResult,
  type ReliablePush,
} from '@parley/protocol';
import { createRtmError, timeoutError, type RtmError } from './errors.js';
import { getTransport, socketUrl, type SocketLike, type Transport } from './transport.js';

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

export interface ConnectionHooks {
  state(state: State, reason: Reason): void;
  /** A reliable push, once, in order. */
  push(frame: ReliablePush): void;
  willExpire(): void;
  tokenExpired(): void;
  banned(): void;
  /** The server no longer had our session (restart, window passed): restore what the app set up. */
  sessionRenewed(): void;
  /** A push without session sequence that the connection does not handle itself (channel events). */
  event(frame: { t: string } & Record<string, unknown>): void;
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
  transport?: Transport;
}

interface Pending {
  id: number;
  frame: Record<string, unknown>;
  api: ApiName;
  method: string;
  timeoutCode: number;
  deadline: number;
  resolve: (r: unknown) => void;
  reject: (e: RtmError) => void;
}

interface LoginWaiter {
  resolve: () => void;
  reject: (e: RtmError) => void;
  deadline: number;
}

const SWEEP_MS = 250;

export class Connection {
  state: State = 'DISCONNECTED';
  private socket: SocketLike | null = null;
  private uid = '';
  private token: string | undefined;
  private sid: string | null = null;
  private lastSeq = 0;
  private nextId = 1;
  private loginId = 0;
  private readonly pending = new Map<number, Pending>();
  private queued: Pending[] = [];
  private loginWaiter: LoginWaiter | null = null;
  private urlIndex = 0;
  private attempt = 0;
  private heartbeatMs = 2500;
  private lastRxMs = 0;
  private lastPingMs = 0;
  private retryAt = 0;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private ackScheduled = false;
  private tokenExpiredSignalled = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {}

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
      this.loginWaiter = { resolve, reject, deadline: Date.now() + this.options.loginTimeoutMs };
      this.startSweep();
      this.open();
    });
  }

  /** Uses a new token from now on (also for reconnects). */
  setToken(token: string): void {
    this.token = token;
    this.tokenExpiredSignalled = false;
    if (this.state === 'RECONNECTING' && !this.socket) this.retryAt = Date.now();
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
        await this.request('logout', 'RtmClient.logout', { t: 'logout' }, LogoutError.REJECTED);
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
    this.teardown(LogoutError.USER_NOT_LOGGED_IN, 'logout');
    this.setState('DISCONNECTED', 'LOGOUT');
  }

  /**
   * Sends a request and resolves with its result. While RECONNECTING the request waits for the
   * session to come back, up to its timeout; in other states it fails with `notLoggedInCode`.
   */
  request<R>(
    api: ApiName,
    method: string,
    frame: Record<string, unknown>,
    timeoutCode: number,
    notLoggedInCode = 102,
  ): Promise<R> {
    if (this.state !== 'CONNECTED' && this.state !== 'RECONNECTING')
      return Promise.reject(
        createRtmError(api, notLoggedInCode, `${method}: the client is not logged in`),
      );
    return new Promise<R>((resolve, reject) => {
      const p: Pending = {
        id: this.nextId++,
        frame,
        api,
        method,
        timeoutCode,
        deadline: Date.now() + this.options.requestTimeoutMs,
        resolve: resolve as (r: unknown) => void,
        reject,
      };
      if (this.state === 'CONNECTED' && this.socket) this.transmit(p);
      else this.queued.push(p);
    });
  }

  private transmit(p: Pending): void {
    this.pending.set(p.id, p);
    p.frame.i = p.id;
    this.socket!.send(JSON.stringify(p.frame));
  }

  private setState(state: State, reason: Reason): void {
    this.state = state;
    this.hooks.state(state, reason);
  }

  private open(): void {
    const urls = this.options.urls;
    const url = socketUrl(urls[this.urlIndex % urls.length]!);
    let sock: SocketLike;
    try {
      sock = (this.options.transport ?? getTransport())(url, SUBPROTOCOL);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = sock;
    sock.onopen = () => {
      if (this.socket !== sock) return;
      this.loginId = this.nextId++;
      const frame: Record<string, unknown> = {
        t: 'login',
        i: this.loginId,
        a: this.options.appId,
        u: this.uid,
      };
      if (this.token) frame.k = this.token;
      if (this.sid) frame.r = { sid: this.sid, s: this.lastSeq, c: this.hooks.resumeCursor() };
      this.lastRxMs = Date.now();
      sock.send(JSON.stringify(frame));
    };
    sock.onmessage = (ev) => {
      if (this.socket === sock && typeof ev.data === 'string') this.onFrame(ev.data);
    };
    sock.onclose = () => this.onClose(sock);
    sock.onerror = () => undefined;
  }

  private onFrame(text: string): void {
    this.lastRxMs = Date.now();
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof f.s === 'number') {
      // A reliable push: numbered by the session; seen ones (replayed after a resume) are dropped.
      if (f.s > this.lastSeq) {
        this.lastSeq = f.s;
        this.hooks.push(f as unknown as ReliablePush);
      }
      this.scheduleAck();
      return;
    }
    switch (f.t) {
      case 'ok':
      case 'err':
        if (f.i === this.loginId) this.onLoginReply(f);
        else this.onReply(f);
        return;
      case 'exp':
        this.hooks.willExpire();
        return;
      case 'kick':
        this.onKick(f.why as KickReason);
        return;
      case 'pong':
      case 'bye':
        return;
      default:
        this.hooks.event(f as { t: string } & Record<string, unknown>);
    }
  }

  private onLoginReply(f: Record<string, unknown>): void {
    if (f.t === 'ok') {
      const r = f.r as LoginResult;
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
      const queued = this.queued;
      this.queued = [];
      for (const p of queued) this.transmit(p);
      if (r.resumed && r.cs) this.hooks.channelSequences(r.cs);
      if (renewed) this.hooks.sessionRenewed();
      return;
    }
    const code = f.c as number;
    const message = String(f.m);
    if (this.state === 'CONNECTING') {
      const waiter = this.loginWaiter;
      this.loginWaiter = null;
      this.teardown(102, 'login failed');
      this.setState('DISCONNECTED', 'LOGIN_FAILURE');
      waiter?.reject(createRtmError('login', code, message));
      return;
    }
    // Reconnecting: an expired token is the app's to renew; keep trying meanwhile.
    if (code === LoginError.TOKEN_EXPIRED && !this.tokenExpiredSignalled) {
      this.tokenExpiredSignalled = true;
      this.hooks.tokenExpired();
    }
    this.dropSocket();
    this.scheduleRetry();
  }

  private onReply(f: Record<string, unknown>): void {
    const p = this.pending.get(f.i as number);
    if (!p) return;
    this.pending.delete(p.id);
    if (f.t === 'ok') p.resolve(f.r);
    else p.reject(createRtmError(p.api, f.c as number, String(f.m)));
  }

  private onKick(why: KickReason): void {
    this.teardown(102, `session ended: ${why}`);
    this.setState('ABORTED', why);
    if (why === 'TOKEN_EXPIRED') this.hooks.tokenExpired();
    if (why === 'BANNED_BY_SERVER') this.hooks.banned();
  }

  private onClose(sock: SocketLike): void {
    if (this.socket !== sock) return;
    this.socket = null;
    this.failInFlight('the connection was lost');
    if (this.state === 'CONNECTED') this.setState('RECONNECTING', 'INTERRUPTED');
    if (this.state === 'CONNECTING' || this.state === 'RECONNECTING') this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const cap = Math.min(
      this.options.reconnectMaxDelayMs,
      this.options.reconnectBaseDelayMs * 2 ** Math.min(this.attempt, 16),
    );
    this.attempt++;
    this.urlIndex++;
    this.retryAt = Date.now() + Math.random() * cap;
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      if (this.socket && this.socket.readyState === 1)
        this.socket.send(`{"t":"ack","s":${this.lastSeq}}`);
    });
  }

  private startSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), SWEEP_MS);
    (this.sweepTimer as { unref?: () => void }).unref?.();
  }

  private sweep(now: number): void {
    if (this.state === 'CONNECTING' && this.loginWaiter && now >= this.loginWaiter.deadline) {
      const waiter = this.loginWaiter;
      this.loginWaiter = null;
      this.teardown(102, 'login timed out');
      this.setState('DISCONNECTED', 'LOGIN_TIMEOUT');
      waiter.reject(
        timeoutError(
          'login',
          LoginError.TIMEOUT,
          'RtmClient.login',
          this.options.loginTimeoutMs / 1000,
        ),
      );
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
      if (now - this.lastRxMs > Math.max(4 * this.heartbeatMs, 10_000)) {
        // Nothing heard for too long: the socket is dead even if it looks open.
        this.dropSocket();
        this.failInFlight('the connection was lost');
        this.setState('RECONNECTING', 'INTERRUPTED');
        this.scheduleRetry();
      } else if (now - this.lastPingMs >= this.heartbeatMs) {
        this.lastPingMs = now;
        this.socket.send('{"t":"ping"}');
      }
    }
    for (const p of this.pending.values()) {
      if (p.deadline > now) break;
      this.pending.delete(p.id);
      p.reject(timeoutError(p.api, p.timeoutCode, p.method, this.options.requestTimeoutMs / 1000));
    }
    while (this.queued.length > 0 && this.queued[0]!.deadline <= now) {
      const p = this.queued.shift()!;
      p.reject(timeoutError(p.api, p.timeoutCode, p.method, this.options.requestTimeoutMs / 1000));
    }
  }

  private failInFlight(why: string): void {
    for (const p of this.pending.values())
      p.reject(
        createRtmError(p.api, p.timeoutCode, `${p.method}: ${why} before the server answered`),
      );
    this.pending.clear();
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

  private teardown(code: number, why: string): void {
    this.dropSocket();
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.failInFlight(why);
    for (const p of this.queued) p.reject(createRtmError(p.api, code, `${p.method}: ${why}`));
    this.queued = [];
    this.sid = null;
    this.lastSeq = 0;
  }
}

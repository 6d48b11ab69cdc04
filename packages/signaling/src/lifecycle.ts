/**
 * SessionLifecycle: the login state of one Signaling session. The background login (and the
 * echo option it turns on), reconnects with the `reconnectTime` give-up timer on the session's
 * clock, the end of the session (`onLogout(code)`), and what arrived before `onLoginSuccess`,
 * held until it fired.
 */
import type {
  ConnectionChangeReason,
  ConnectionState,
  ParleyExtensions,
  RtmClient,
} from '@parley/sdk';
import type { Clock, TimerHandle } from '@parley/protocol';
import { fire, unref } from './callbacks.js';
import { describe, loginFailureCode, SignalingCode as C } from './codes.js';
import type { Session, SessionOptions, SignalStatus } from './session.js';

export class SessionLifecycle {
  #status: SignalStatus = 1;
  #reconnects = 0;
  #giveUp: TimerHandle | undefined;
  #toldAlreadyOut = false;
  /** What arrived (stored messages, invitations) before onLoginSuccess; it follows it. */
  #held: (() => void)[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: SessionOptions,
    private readonly clock: Clock,
    /**
     * The session ends: its channel goes with `leaveCode` (unless it never logged in), its
     * calls stop. Called before the client logs out; `onLogout` waits for what it answers
     * (queries already sent, which the server answers before the logout, as in Signaling).
     */
    private readonly closing: (leaveCode: number, wasLoggingIn: boolean) => Promise<unknown>,
  ) {}

  get status(): SignalStatus {
    return this.#status;
  }

  /** Logged in, or reconnecting. */
  get online(): boolean {
    return this.#status === 2 || this.#status === 3;
  }

  /** The session cannot log in (no client, a bad account): `onLoginFailed(code)`, soon. */
  refuse(code: number): void {
    this.#status = 0;
    queueMicrotask(() => fire(this.session, 'onLoginFailed', code));
  }

  /** Logs in in the background: `onLoginSuccess(uid)` or `onLoginFailed(ecode)`. */
  start(client: RtmClient, ext: ParleyExtensions, token: string): void {
    const account = this.session.account;
    client.on('ConnectionStateChanged', (s, r) => this.#stateChanged(client, ext, s, r));
    client.login({ uid: account, token: token || undefined }).then(
      async () => {
        if (this.#status !== 1) return;
        // Signaling echoed channel messages to their sender; a server option of the session.
        await ext.setChannelMessageEcho(true).catch(() => undefined);
        if (this.#status !== 1) return;
        this.#status = 2;
        this.#log('INFO', `${account}: logged in`);
        fire(this.session, 'onLoginSuccess', this.session.uid);
        const held = this.#held;
        this.#held = [];
        for (const run of held) run();
      },
      (e: unknown) => {
        if (this.#status !== 1) return; // logout() while logging in: onLogout told the app
        this.#status = 0;
        this.#held = [];
        this.#log('WARNING', `${account}: login failed: ${describe(e)}`);
        fire(this.session, 'onLoginFailed', loginFailureCode(e));
      },
    );
  }

  /** `onLogout(101)`, or 108 once when already logged out. */
  logout(client: RtmClient | undefined): void {
    if (this.#status === 0) {
      if (this.#toldAlreadyOut) return;
      this.#toldAlreadyOut = true;
      queueMicrotask(() => fire(this.session, 'onLogout', C.LOGOUT_E_ALREADY_LOGOUT));
      return;
    }
    this.#end(client!, C.LOGOUT_E_USER, C.LEAVECHANNEL_E_LOGOUT);
  }

  /** Runs `run` now when logged in, after onLoginSuccess while logging in, never when logged out. */
  afterLogin(run: () => void): void {
    if (this.#status === 1) this.#held.push(run);
    else if (this.#status !== 0) run();
  }

  #stateChanged(
    client: RtmClient,
    ext: ParleyExtensions,
    state: ConnectionState,
    reason: ConnectionChangeReason,
  ): void {
    const account = this.session.account;
    if (state === 'RECONNECTING' && this.#status === 2) {
      this.#status = 3;
      const { reconnectCount, reconnectTimeS } = this.options;
      if (reconnectCount <= 0 || reconnectTimeS <= 0)
        return this.#end(client, C.LOGOUT_E_NET, C.LEAVECHANNEL_E_DISCONN);
      this.#giveUp = unref(
        this.clock.setTimeout(
          () => this.#end(client, C.LOGOUT_E_NET, C.LEAVECHANNEL_E_DISCONN),
          reconnectTimeS * 1000,
        ),
      );
      this.#log('INFO', `${account}: connection lost, reconnecting`);
      fire(this.session, 'onReconnecting', ++this.#reconnects);
    } else if (state === 'CONNECTED' && this.#status === 3) {
      this.#status = 2;
      this.clock.clear(this.#giveUp);
      // The server may have started a new session: the echo option goes with it.
      ext.setChannelMessageEcho(true).catch(() => undefined);
      this.#log('INFO', `${account}: reconnected`);
      fire(this.session, 'onReconnected', 0);
    } else if (state === 'ABORTED' && (this.#status === 2 || this.#status === 3)) {
      // Logged in elsewhere, or banned from the REST API: kicked either way.
      const code = reason === 'TOKEN_EXPIRED' ? C.LOGOUT_E_TOKENEXPIRED : C.LOGOUT_E_KICKED;
      this.#end(client, code, C.LEAVECHANNEL_E_LOGOUT);
    }
  }

  /** The session is over: channel and calls end, the client logs out, then `onLogout(code)`. */
  #end(client: RtmClient, code: number, leaveCode: number): void {
    const wasLoggingIn = this.#status === 1;
    this.#status = 0;
    this.#held = [];
    this.#toldAlreadyOut = false;
    this.clock.clear(this.#giveUp);
    const answered = this.closing(leaveCode, wasLoggingIn);
    this.#log(
      code === C.LOGOUT_E_USER ? 'INFO' : 'WARNING',
      `${this.session.account}: logged out (${code})`,
    );
    const done = () => fire(this.session, 'onLogout', code);
    // Also resets an ABORTED client and stops a reconnecting one.
    void Promise.allSettled([client.logout(), answered]).then(done);
  }

  #log(level: 'INFO' | 'WARNING', text: string): void {
    this.options.log?.(level, text);
  }
}

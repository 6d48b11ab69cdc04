/**
 * Login: logging in and out, and renewing the token, with the web SDK's argument checks and
 * its client-side rate limit (2 calls a second, for login and for renewToken each).
 */
import {
  Limits,
  LoginError,
  RenewTokenError,
  type Clock,
  type RequestBody,
} from '@parley/protocol';
import { Timing } from './config.js';
import { createRtmError } from './errors.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import type { ApiCall } from './requests.js';

const RENEW: ApiCall = {
  method: 'RtmClient.renewToken',
  api: 'renewToken',
  timeoutCode: RenewTokenError.FAILURE,
  notLoggedInCode: RenewTokenError.USER_NOT_LOGGED_IN,
};

/** A sliding window of call times on a clock; `take()` answers false for the call one too many. */
class CallRate {
  private readonly calls: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  take(): boolean {
    const now = this.clock.now();
    while (this.calls.length > 0 && now - this.calls[0]! >= this.windowMs) this.calls.shift();
    if (this.calls.length >= this.perWindow) return false;
    this.calls.push(now);
    return true;
  }
}

export class Login implements ClientFeature<never> {
  readonly pushes = [] as const;
  private readonly logins: CallRate;
  private readonly renewals: CallRate;

  constructor(private readonly host: FeatureHost) {
    const perSecond = Limits.loginRatePerSecond;
    this.logins = new CallRate(host.clock, perSecond, Timing.callRateWindowMs);
    this.renewals = new CallRate(host.clock, perSecond, Timing.callRateWindowMs);
  }

  login(options: { uid: string; token?: string }): Promise<void> {
    const connection = this.host.connection;
    if (!this.logins.take())
      return Promise.reject(
        createRtmError(
          'login',
          LoginError.TOO_OFTEN,
          `login: more than ${Limits.loginRatePerSecond} calls per second`,
        ),
      );
    if (connection.state !== 'DISCONNECTED')
      return Promise.reject(
        createRtmError(
          'login',
          LoginError.ALREADY_LOGIN,
          `login: the client is ${connection.state}; call logout() first`,
        ),
      );
    if (typeof options !== 'object' || options === null || typeof options.uid !== 'string')
      return Promise.reject(
        createRtmError('login', LoginError.INVALID_ARGUMENT, 'uid: must be a string'),
      );
    if (options.token !== undefined && typeof options.token !== 'string')
      return Promise.reject(
        createRtmError('login', LoginError.INVALID_ARGUMENT, 'token: must be a string'),
      );
    return connection.login(options.uid, options.token || undefined);
  }

  logout(): Promise<void> {
    return this.host.connection.logout();
  }

  renewToken(token: string): Promise<void> {
    const connection = this.host.connection;
    if (typeof token !== 'string' || token === '')
      return Promise.reject(
        createRtmError(
          'renewToken',
          RenewTokenError.INVALID_ARGUMENT,
          'token: must be a non-empty string',
        ),
      );
    if (!this.renewals.take())
      return Promise.reject(
        createRtmError(
          'renewToken',
          RenewTokenError.TOO_OFTEN,
          `renewToken: more than ${Limits.loginRatePerSecond} calls per second`,
        ),
      );
    if (connection.state === 'RECONNECTING') {
      connection.setToken(token);
      return Promise.resolve();
    }
    return connection
      .request(RENEW, { t: 'renew', k: token } satisfies RequestBody<'renew'>)
      .then(() => connection.setToken(token));
  }
}

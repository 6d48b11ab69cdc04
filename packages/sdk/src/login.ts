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
import { createRtmError, type RtmError } from './errors.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import type { ApiCall } from './requests.js';

const RENEW: ApiCall = {
  method: 'RtmClient.renewToken',
  api: 'renewToken',
  timeoutCode: RenewTokenError.FAILURE,
  notLoggedInCode: RenewTokenError.USER_NOT_LOGGED_IN,
};

/**
 * A sliding one-second window of the calls of one API, on a clock (the web SDK's limit of
 * `Limits.loginRatePerSecond`, an RtmInvokeTooOftenError).
 */
class CallRate {
  private readonly calls: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly api: 'login' | 'renewToken',
    private readonly tooOftenCode: number,
  ) {}

  /** Counts the call; answers the TOO_OFTEN error instead when it is one too many. */
  refuse(): RtmError | undefined {
    const now = this.clock.now();
    const calls = this.calls;
    while (calls.length > 0 && now - calls[0]! >= Timing.callRateWindowMs) calls.shift();
    if (calls.length >= Limits.loginRatePerSecond)
      return createRtmError(
        this.api,
        this.tooOftenCode,
        `${this.api}: more than ${Limits.loginRatePerSecond} calls per second`,
      );
    calls.push(now);
    return undefined;
  }
}

export class Login implements ClientFeature<never> {
  readonly pushes = [] as const;
  private readonly logins: CallRate;
  private readonly renewals: CallRate;

  constructor(private readonly host: FeatureHost) {
    this.logins = new CallRate(host.clock, 'login', LoginError.TOO_OFTEN);
    this.renewals = new CallRate(host.clock, 'renewToken', RenewTokenError.TOO_OFTEN);
  }

  login(options: { uid: string; token?: string }): Promise<void> {
    const connection = this.host.connection;
    const tooOften = this.logins.refuse();
    if (tooOften) return Promise.reject(tooOften);
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
    const tooOften = this.renewals.refuse();
    if (tooOften) return Promise.reject(tooOften);
    if (connection.state === 'RECONNECTING') {
      connection.setToken(token);
      return Promise.resolve();
    }
    return connection
      .request(RENEW, { t: 'renew', k: token } satisfies RequestBody<'renew'>)
      .then(() => connection.setToken(token));
  }
}

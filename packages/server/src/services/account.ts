/**
 * account: what a logged-in client asks about its own session — a new token (`renew`) and the
 * end of the session (`logout`).
 */
import { CloseCode, LoginError, LogoutError, RenewTokenError } from '@parley/protocol';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';
import type { Sessions } from '../sessions.js';
import type { Auth } from './auth.js';

/** A renewal's token failure, in renewToken's table (the login check answers login codes). */
const RENEW_CODE = new Map<number, number>([
  [LoginError.INVALID_TOKEN, RenewTokenError.INVALID_TOKEN],
  [LoginError.TOKEN_EXPIRED, RenewTokenError.TOKEN_EXPIRED],
]);

export class Account implements SessionService {
  readonly name = 'account';
  readonly ops = {
    renew: op(RenewTokenError.FAILURE, RenewTokenError.FAILURE),
    logout: op(LogoutError.REJECTED, LogoutError.REJECTED),
  };

  constructor(
    private readonly hub: Hub,
    private readonly auth: Auth,
    private readonly sessions: Sessions,
  ) {}

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    if (f.t === 'renew') {
      const r = this.auth.check(session.app, session.uid, f.k, now);
      if (!r.ok)
        return this.hub.tell(session, {
          t: 'err',
          i: f.i,
          c: RENEW_CODE.get(r.code) ?? RenewTokenError.INVALID_TOKEN,
          m: r.message,
        });
      session.tokenExpMs = r.expMs;
      session.willExpireSent = false;
      return this.hub.tell(session, { t: 'ok', i: f.i, r: { exp: r.expMs } });
    }
    if (f.t === 'logout') {
      await this.sessions.end(session, 'logout');
      this.hub.tell(session, { t: 'ok', i: f.i });
      this.hub.disconnect(session, CloseCode.NORMAL, 'logout');
    }
  }
}

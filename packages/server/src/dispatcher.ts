/**
 * Dispatcher: one table from request type to the service answering it. Each validated frame of
 * a logged-in session goes to exactly one service; a request that fails is answered with the
 * failure code its op declared (the "try again" one when the shared store was unreachable),
 * never with a crash.
 */
import { CloseCode, type ErrFrame, type LoginReq } from '@parley/protocol';
import type { Conn, Hub } from './hub.js';
import type { Logger } from './log.js';
import { LOGIN_CODES, type Logins } from './login.js';
import type { OpCodes, ServiceFrame, SessionService } from './service.js';
import type { Session } from './session.js';
import type { Sessions } from './sessions.js';

interface Route {
  service: SessionService;
  codes: OpCodes;
}

export class Dispatcher {
  private readonly routes = new Map<string, Route>();

  constructor(
    services: readonly SessionService[],
    private readonly hub: Hub,
    private readonly logins: Logins,
    private readonly sessions: Sessions,
    private readonly log: Logger,
    /** Whether an error says the shared store was unreachable (see Backend.unavailable). */
    private readonly unavailable: (err: unknown) => boolean,
  ) {
    for (const service of services)
      for (const [t, codes] of Object.entries(service.ops)) {
        if (this.routes.has(t)) throw new Error(`two services answer "${t}"`);
        this.routes.set(t, { service, codes });
      }
  }

  login(conn: Conn, req: LoginReq): Promise<Session | undefined> {
    return this.logins.login(conn, req);
  }

  touch(session: Session, now: number): void {
    this.sessions.touch(session, now);
  }

  detach(session: Session, conn: Conn): void {
    this.sessions.detach(session, conn);
  }

  /** Runs one frame of a logged-in session. */
  handle(session: Session, frame: ServiceFrame, now: number): void {
    if (session.ended) {
      this.hub.disconnect(session, CloseCode.KICKED, 'session ended');
      return;
    }
    const route = this.routes.get(frame.t);
    if (!route) {
      // A frame the protocol validates but no service declared: a bug here, never the client's.
      this.log.error({ op: frame.t }, 'no service answers this request type');
      if ('i' in frame)
        this.hub.tell(session, { t: 'err', i: frame.i, c: 1, m: `${frame.t}: not supported` });
      return;
    }
    let pending: Promise<void> | undefined;
    try {
      pending = route.service.handle(session, frame, now);
    } catch (err) {
      this.failed(session, frame, route.codes, err);
      return;
    }
    // Only a request still under way costs a closure.
    if (pending) pending.catch((err: unknown) => this.failed(session, frame, route.codes, err));
  }

  private failed(session: Session, frame: ServiceFrame, codes: OpCodes, err: unknown): void {
    if ('i' in frame) this.hub.tell(session, this.failure(frame.t, frame.i, codes, err));
    else this.log.error({ err, op: frame.t }, 'frame failed');
  }

  /** The reply to a login that failed with `err`. */
  loginFailure(i: number, err: unknown): ErrFrame {
    return this.failure('login', i, LOGIN_CODES, err);
  }

  private failure(op: string, i: number, codes: OpCodes, err: unknown): ErrFrame {
    if (this.unavailable(err)) {
      this.log.warn({ err: String(err), op }, 'request failed: store unreachable');
      return {
        t: 'err',
        i,
        c: codes.unavailable,
        m: `${op}: the shared store is unreachable right now; try again`,
      };
    }
    this.log.error({ err, op }, 'request failed');
    return { t: 'err', i, c: codes.failure, m: `${op}: internal error` };
  }
}

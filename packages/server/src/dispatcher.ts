/**
 * Dispatcher: routes each validated frame of a logged-in session to exactly one service call
 * and answers it. Service failures become `err` replies, never crashes.
 */
import type { WebSocket } from 'ws';
import {
  CloseCode,
  Limits,
  LoginError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  PeerSubscriptionStatusError,
  RenewTokenError,
  type ClientFrame,
  type LoginReq,
  type Request,
} from '@parley/protocol';
import type { Logger } from './log.js';
import type { Auth } from './services/auth.js';
import type { Peers } from './services/peers.js';
import type { Presence } from './services/presence.js';
import type { Session } from './session.js';
import type { Sessions } from './sessions.js';
import { unavailableReply } from './temporary-errors.js';

const RENEW_CODE: Record<number, number> = {
  5: RenewTokenError.INVALID_TOKEN,
  6: RenewTokenError.TOKEN_EXPIRED,
};

export class Dispatcher {
  constructor(
    private readonly sessions: Sessions,
    private readonly auth: Auth,
    private readonly presence: Presence,
    private readonly peers: Peers,
    private readonly log: Logger,
    /** Whether an error says the shared store was unreachable (see Backend.unavailable). */
    private readonly unavailable: (err: unknown) => boolean,
  ) {}

  /** The reply to request `op` #`i` that failed with `err`. */
  failure(op: string, i: number, err: unknown): string {
    if (this.unavailable(err)) {
      this.log.warn({ err: String(err), op }, 'request failed: store unreachable');
      return JSON.stringify(unavailableReply(op, i));
    }
    this.log.error({ err, op }, 'request failed');
    const c = op === 'login' ? LoginError.UNKNOWN : 1;
    return JSON.stringify({ t: 'err', i, c, m: `${op}: internal error` });
  }

  login(ws: WebSocket, req: LoginReq, attach: (s: Session) => void): Promise<Session | undefined> {
    return this.sessions.login(ws, req, attach);
  }

  touch(session: Session, now: number): void {
    this.sessions.touch(session, now);
  }

  detach(session: Session, ws: WebSocket): void {
    this.sessions.detach(session, ws);
  }

  handle(
    session: Session,
    frame: Exclude<ClientFrame, LoginReq | { t: 'ping' }>,
    now: number,
    ws: WebSocket,
  ): void {
    if (session.ended) {
      ws.close(CloseCode.KICKED, 'session ended');
      return;
    }
    this.run(session, frame, now, ws).catch((err) => {
      const reply = this.failure(frame.t, 'i' in frame ? frame.i : 0, err);
      if ('i' in frame) session.sendRaw(reply);
    });
  }

  private async run(
    session: Session,
    f: Exclude<ClientFrame, LoginReq | { t: 'ping' }>,
    now: number,
    ws: WebSocket,
  ): Promise<void> {
    const service = this.sessions.serviceFor(f.t);
    if (service) return service.handle(session, f as Request, now);
    switch (f.t) {
      case 'ack': {
        const { offlineMids, replies } = session.ack(f.s);
        if (offlineMids.length || replies.length)
          await this.peers.acknowledged(session, offlineMids, replies);
        return;
      }
      case 'psend':
        return this.peers.send(session, f, now);
      case 'pquery': {
        if (!session.rate('pquery', Limits.queryRateCount, Limits.queryRateWindowMs).take(now))
          return tooOften(
            session,
            f.i,
            QueryPeersOnlineStatusError.TOO_OFTEN,
            'queryPeersOnlineStatus: more than 10 calls per 5 s',
          );
        const st = await this.presence.query(session.app, f.ids);
        return session.send({ t: 'ok', i: f.i, r: { st } });
      }
      case 'psub': {
        if (
          !session.rate('psub', Limits.subscribeRateCount, Limits.subscribeRateWindowMs).take(now)
        )
          return tooOften(
            session,
            f.i,
            PeerSubscriptionStatusError.TOO_OFTEN,
            'subscribePeersOnlineStatus: more than 10 calls per 5 s',
          );
        const err = this.presence.subscribeCheck(session, f.ids);
        if (err) return session.send({ t: 'err', i: f.i, c: err.code, m: err.message });
        // The snapshot is the state when the call is answered; it arrives after the reply.
        const st = await this.presence.subscribe(session, f.ids);
        session.send({ t: 'ok', i: f.i });
        session.push({ t: 'pst', st });
        return;
      }
      case 'punsub':
        if (
          !session.rate('punsub', Limits.subscribeRateCount, Limits.subscribeRateWindowMs).take(now)
        )
          return tooOften(
            session,
            f.i,
            PeerSubscriptionStatusError.TOO_OFTEN,
            'unsubscribePeersOnlineStatus: more than 10 calls per 5 s',
          );
        await this.presence.unsubscribe(session, f.ids);
        return session.send({ t: 'ok', i: f.i });
      case 'plist':
        if (
          !session.rate('plist', Limits.subscribeRateCount, Limits.subscribeRateWindowMs).take(now)
        )
          return tooOften(
            session,
            f.i,
            QueryPeersBySubscriptionOptionError.TOO_OFTEN,
            'queryPeersBySubscriptionOption: more than 10 calls per 5 s',
          );
        return session.send({ t: 'ok', i: f.i, r: { ids: [...session.subscriptions] } });
      case 'renew': {
        const r = this.auth.check(session.app, session.uid, f.k, now);
        if (!r.ok)
          return session.send({
            t: 'err',
            i: f.i,
            c: RENEW_CODE[r.code] ?? RenewTokenError.INVALID_TOKEN,
            m: r.message,
          });
        session.tokenExpMs = r.expMs;
        session.willExpireSent = false;
        return session.send({ t: 'ok', i: f.i, r: { exp: r.expMs } });
      }
      case 'logout':
        await this.sessions.logout(session);
        session.send({ t: 'ok', i: f.i });
        ws.close(CloseCode.NORMAL, 'logout');
        return;
    }
  }
}

/** Answers a request refused by a per-client rate limit; the request changes nothing. */
function tooOften(session: Session, i: number, code: number, message: string): void {
  session.send({ t: 'err', i, c: code, m: message });
}

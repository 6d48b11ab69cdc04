/**
 * The requests of one connection that await their answer: in flight (sent, keyed by id) or
 * queued (made while reconnecting; sent once the session is back). Each has a deadline, and
 * the connection's one sweep timer expires them: nothing is scheduled per request.
 */
import {
  ErrorTables,
  type ApiName,
  type ErrFrame,
  type OkFrame,
  type RequestBody,
} from '@parley/protocol';
import { createRtmError, timeoutError, type RtmError } from './errors.js';

/**
 * What a request serves: the SDK method (named in error messages), and the codes it fails with
 * when no answer of the server ends it, from its API's error table.
 *
 * @example
 * ```ts
 * const JOIN: ApiCall = {
 *   method: 'RtmChannel.join',
 *   api: 'join',
 *   timeoutCode: JoinChannelError.TIMEOUT,
 *   notLoggedInCode: JoinChannelError.USER_NOT_LOGGED_IN,
 * };
 * ```
 */
export interface ApiCall {
  readonly method: string;
  readonly api: ApiName;
  /** No answer by the deadline, or the connection lost before the answer. */
  readonly timeoutCode: number;
  /** Made, or still queued, while the client is not logged in. */
  readonly notLoggedInCode: number;
}

/** The APIs whose error table has TIMEOUT and USER_NOT_LOGGED_IN (most have both). */
export type TimedApi = {
  [A in ApiName]: (typeof ErrorTables)[A] extends { TIMEOUT: number; USER_NOT_LOGGED_IN: number }
    ? A
    : never;
}[ApiName];

/** The ApiCall of `method`, failing with its API's TIMEOUT and USER_NOT_LOGGED_IN codes. */
export function apiCall(method: string, api: TimedApi): ApiCall {
  const table = ErrorTables[api];
  return { method, api, timeoutCode: table.TIMEOUT, notLoggedInCode: table.USER_NOT_LOGGED_IN };
}

export interface Pending {
  readonly id: number;
  readonly call: ApiCall;
  readonly body: RequestBody;
  /** On the connection's clock, ms. */
  readonly deadline: number;
  resolve(result: unknown): void;
  reject(error: RtmError): void;
}

export class Requests {
  private readonly inFlight = new Map<number, Pending>();
  private queued: Pending[] = [];

  constructor(private readonly timeoutMs: number) {}

  sent(p: Pending): void {
    this.inFlight.set(p.id, p);
  }

  queue(p: Pending): void {
    this.queued.push(p);
  }

  /** The queued requests in the order they were made; the queue is empty afterwards. */
  takeQueued(): Pending[] {
    const queued = this.queued;
    this.queued = [];
    return queued;
  }

  /** Settles the request `reply` answers; a reply to nothing pending (timed out already) is dropped. */
  settle(reply: OkFrame | ErrFrame): void {
    const p = this.inFlight.get(reply.i);
    if (!p) return;
    this.inFlight.delete(p.id);
    if (reply.t === 'ok') p.resolve(reply.r);
    else p.reject(createRtmError(p.call.api, reply.c, reply.m));
  }

  /** Fails every request whose deadline has come with its TIMEOUT code. */
  expire(now: number): void {
    // One timeout for all and ids in the order made: each list is in deadline order.
    for (const p of this.inFlight.values()) {
      if (p.deadline > now) break;
      this.inFlight.delete(p.id);
      p.reject(this.timedOut(p));
    }
    while (this.queued.length > 0 && this.queued[0]!.deadline <= now) {
      const p = this.queued.shift()!;
      p.reject(this.timedOut(p));
    }
  }

  /**
   * The socket is gone: requests in flight fail with their TIMEOUT code (the server may or may
   * not have acted on them); queued ones wait for the next session.
   */
  failInFlight(why: string): void {
    for (const p of this.inFlight.values())
      p.reject(
        createRtmError(
          p.call.api,
          p.call.timeoutCode,
          `${p.call.method}: ${why} before the server answered`,
        ),
      );
    this.inFlight.clear();
  }

  /** The session is over: everything fails, queued requests as not logged in. */
  failAll(why: string): void {
    this.failInFlight(why);
    for (const p of this.takeQueued())
      p.reject(createRtmError(p.call.api, p.call.notLoggedInCode, `${p.call.method}: ${why}`));
  }

  private timedOut(p: Pending): RtmError {
    return timeoutError(p.call.api, p.call.timeoutCode, p.call.method, this.timeoutMs / 1000);
  }
}

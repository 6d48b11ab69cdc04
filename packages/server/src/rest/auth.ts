/**
 * Who a REST call is from, as Agora's RESTful API authenticates it:
 * - `Authorization: Basic base64(key:secret)` with a pair of PARLEY_REST_KEYS: the operator, who
 *   may do anything (and send as any user id);
 * - `x-agora-token` (an RTM token of an app with a certificate) and `x-agora-uid` (the user id
 *   it was built for): that user, who may only send messages as itself.
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { verifyToken } from '@parley/token';
import type { AppConfig, RestKey } from '../config.js';
import { RestError } from './answers.js';

export type Caller = { kind: 'operator' } | { kind: 'user'; uid: string };

const unauthorized = (message: string) => new RestError(401, 'unauthorized', message);

export class RestAuth {
  private readonly credentials: Buffer[];
  private readonly certified: Map<string, string>;

  constructor(keys: readonly RestKey[], apps: readonly AppConfig[]) {
    this.credentials = keys.map((k) => Buffer.from(`${k.key}:${k.secret}`));
    this.certified = new Map(
      apps.flatMap((a) => (a.appCertificate ? [[a.appId, a.appCertificate] as const] : [])),
    );
  }

  /** Whether any REST key is configured (without one, only token callers exist). */
  get hasKeys(): boolean {
    return this.credentials.length > 0;
  }

  /** The operator, or throws 401. */
  operator(req: http.IncomingMessage): Caller {
    if (this.basic(req.headers.authorization)) return { kind: 'operator' };
    throw unauthorized(
      'authorization: HTTP basic auth with a key:secret of PARLEY_REST_KEYS required',
    );
  }

  /** The operator, or the user an RTM token of `app` names; throws 401. */
  operatorOrUser(req: http.IncomingMessage, app: string, nowMs: number): Caller {
    const token = req.headers['x-agora-token'];
    if (token === undefined) return this.operator(req);
    const uid = req.headers['x-agora-uid'];
    if (typeof token !== 'string' || typeof uid !== 'string' || uid === '')
      throw unauthorized(
        'x-agora-uid: required with x-agora-token (the uid the token was built for)',
      );
    const certificate = this.certified.get(app);
    if (!certificate)
      throw unauthorized(`x-agora-token: app "${app}" has no certificate, so it has no tokens`);
    const r = verifyToken(token, {
      appId: app,
      appCertificate: certificate,
      uid,
      nowSec: Math.floor(nowMs / 1000),
    });
    if (!r.ok) throw unauthorized(`x-agora-token: ${r.message}`);
    return { kind: 'user', uid };
  }

  private basic(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const given = Buffer.from(header.slice(6), 'base64');
    return this.credentials.some((c) => c.length === given.length && timingSafeEqual(c, given));
  }
}

/** Throws 401 unless `caller` may act as `uid` (the operator may act as anyone). */
export function mayActAs(caller: Caller, uid: string): void {
  if (caller.kind === 'user' && caller.uid !== uid)
    throw unauthorized(
      `user_id: a token of "${caller.uid}" may send only as "${caller.uid}", not as "${uid}"`,
    );
}

/**
 * auth: which apps exist, whether they need tokens, and the check of a login or renewal.
 * Open mode (no apps configured) admits any appId without a token.
 */
import { LoginError } from '@parley/protocol';
import { verifyToken, type TokenFailure } from '@parley/token';
import type { AppConfig } from '../config.js';

export type AuthResult = { ok: true; expMs: number } | { ok: false; code: number; message: string };

const FAILURE_CODE: Record<TokenFailure, number> = {
  malformed: LoginError.INVALID_TOKEN,
  bad_signature: LoginError.INVALID_TOKEN,
  wrong_uid: LoginError.INVALID_TOKEN,
  no_privilege: LoginError.INVALID_TOKEN,
  wrong_app: LoginError.INVALID_APP_ID,
  expired: LoginError.TOKEN_EXPIRED,
};

/** A token that verified: for whom, until when (s since the epoch; 0 = no end). */
interface Verified {
  appId: string;
  uid: string;
  expireTs: number;
}

export class Auth {
  private readonly apps: Map<string, AppConfig>;
  /**
   * Tokens that verified, by their text, least recently used first (a Map keeps insertion
   * order): a reconnecting SDK sends the same token again, and its three HMACs and inflate are
   * skipped. Bounded by `cacheSize`; an entry answers only for the app and uid it was verified
   * for, and only until its expiry. 006 tokens are not kept: their `ts` bound is not in the
   * verifier's answer.
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    apps: readonly AppConfig[],
    private readonly cacheSize = 0,
  ) {
    this.apps = new Map(apps.map((a) => [a.appId, a]));
  }

  /** Tokens remembered as verified (for tests and gauges). */
  get cachedTokens(): number {
    return this.verified.size;
  }

  get openMode(): boolean {
    return this.apps.size === 0;
  }

  check(appId: string, uid: string, token: string | undefined, nowMs: number): AuthResult {
    if (this.openMode) return { ok: true, expMs: 0 };
    const app = this.apps.get(appId);
    if (!app)
      return {
        ok: false,
        code: LoginError.INVALID_APP_ID,
        message: `appId: "${appId}" is not an app of this server`,
      };
    if (!app.appCertificate) return { ok: true, expMs: 0 };
    // The web SDK treats a token equal to the App ID as "no token".
    if (!token || token === appId || token === '_no_need_token')
      return {
        ok: false,
        code: LoginError.NOT_AUTHORIZED,
        message: 'token: this app requires a token',
      };
    const nowSec = Math.floor(nowMs / 1000);
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (hit.appId === appId && hit.uid === uid && (hit.expireTs === 0 || nowSec < hit.expireTs)) {
        this.verified.set(token, hit); // most recently used now
        return { ok: true, expMs: hit.expireTs * 1000 };
      }
    }
    const r = verifyToken(token, { appId, appCertificate: app.appCertificate, uid, nowSec });
    if (!r.ok) return { ok: false, code: FAILURE_CODE[r.reason], message: `token: ${r.message}` };
    if (this.cacheSize > 0 && r.kind !== '006') {
      if (this.verified.size >= this.cacheSize)
        this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { appId, uid, expireTs: r.expireTs });
    }
    return { ok: true, expMs: r.expireTs * 1000 };
  }
}

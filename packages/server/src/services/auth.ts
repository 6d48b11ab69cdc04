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

export class Auth {
  private readonly apps: Map<string, AppConfig>;

  constructor(apps: readonly AppConfig[]) {
    this.apps = new Map(apps.map((a) => [a.appId, a]));
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
    const r = verifyToken(token, {
      appId,
      appCertificate: app.appCertificate,
      uid,
      nowSec: Math.floor(nowMs / 1000),
    });
    if (!r.ok) return { ok: false, code: FAILURE_CODE[r.reason], message: `token: ${r.message}` };
    return { ok: true, expMs: r.expireTs * 1000 };
  }
}

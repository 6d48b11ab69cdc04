/**
 * Legacy Signaling tokens, as produced by agora-access-token's `SignalingToken.get`
 * (src/SignalingToken.js):
 *
 *   token = "1:" + appId + ":" + expiredTime + ":" + md5hex(account + appId + appCertificate + expiredTime)
 *
 * `expiredTime` is a decimal unix timestamp in seconds. The account appears only inside the
 * MD5, so a token for another account cannot be told apart from a forged one.
 */
import { md5Hex } from './digest.js';

export const SIGNALING_VERSION = '1';

export interface SignalingToken {
  readonly appId: string;
  /** The decimal expiry exactly as written in the token (it is part of the hashed text). */
  readonly expiredTimeText: string;
  readonly expiredTs: number;
  /** 32 lower-case hex digits. */
  readonly digest: string;
}

const EXPIRED_TIME_PATTERN = /^(0|[1-9][0-9]{0,14})$/;
const DIGEST_PATTERN = /^[0-9a-f]{32}$/;

export function signalingDigest(
  appId: string,
  appCertificate: string,
  account: string,
  expiredTimeText: string,
): string {
  return md5Hex(account + appId + appCertificate + expiredTimeText);
}

/**
 * Builds the same token as `SignalingToken.get(appId, appCertificate, account, validSeconds)`
 * called at time `expiredTsSec - validSeconds`. Throws for arguments that cannot be encoded.
 */
export function buildSignalingToken(
  appId: string,
  appCertificate: string,
  account: string,
  expiredTsSec: number,
): string {
  if (typeof appId !== 'string' || appId.length === 0) {
    throw new TypeError('appId must be a non-empty string');
  }
  if (typeof appCertificate !== 'string') throw new TypeError('appCertificate must be a string');
  if (typeof account !== 'string') throw new TypeError('account must be a string');
  const expiredTimeText = String(expiredTsSec);
  if (!Number.isSafeInteger(expiredTsSec) || !EXPIRED_TIME_PATTERN.test(expiredTimeText)) {
    throw new RangeError(`expiredTsSec must be a non-negative integer, got ${expiredTsSec}`);
  }
  const digest = signalingDigest(appId, appCertificate, account, expiredTimeText);
  return [SIGNALING_VERSION, appId, expiredTimeText, digest].join(':');
}

/**
 * Parses a signaling token without checking its digest; null when it is not well formed.
 * The fields are split from the right, so an app id containing ':' still parses.
 */
export function parseSignalingToken(token: string): SignalingToken | null {
  if (typeof token !== 'string') return null;
  const prefix = SIGNALING_VERSION + ':';
  if (!token.startsWith(prefix)) return null;
  const digestColon = token.lastIndexOf(':');
  const expiryColon = token.lastIndexOf(':', digestColon - 1);
  if (expiryColon < prefix.length) return null;
  const appId = token.slice(prefix.length, expiryColon);
  const expiredTimeText = token.slice(expiryColon + 1, digestColon);
  const digest = token.slice(digestColon + 1);
  if (appId.length === 0 || !EXPIRED_TIME_PATTERN.test(expiredTimeText)) return null;
  if (!DIGEST_PATTERN.test(digest)) return null;
  return { appId, expiredTimeText, expiredTs: Number(expiredTimeText), digest };
}

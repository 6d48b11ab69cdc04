/**
 * verifyToken: checks that a token lets `uid` log in to app `appId`.
 *
 * Expiry convention: a timestamp T means "valid while now < T"; 0 means "never expires".
 * Each check only ever refuses, so checks that read unsigned (or not yet verified) fields
 * merely choose which refusal is reported.
 */
import { Privilege006, parseAccessToken006, signature006 } from './access-token-006.js';
import {
  RTM_LOGIN_PRIVILEGE_007,
  ServiceType007,
  parseAccessToken007,
  signature007,
} from './access-token-007.js';
import { crc32 } from './crc32.js';
import { safeEqual } from './digest.js';
import { parseSignalingToken, signalingDigest } from './signaling-token.js';
import type { TokenCheck, TokenFailure, VerifyOptions } from './types.js';

/** Longer inputs are refused before any decoding work. */
export const MAX_TOKEN_LENGTH = 8192;

function fail(reason: TokenFailure, message: string): TokenCheck {
  return { ok: false, reason, message };
}

function isExpired(expireTs: number, nowSec: number): boolean {
  return expireTs !== 0 && nowSec >= expireTs;
}

function verify006(token: string, opts: VerifyOptions, nowSec: number): TokenCheck {
  const parsed = parseAccessToken006(token, opts.appId);
  if (!parsed) return fail('malformed', 'not a well-formed 006 access token');
  if (parsed.appId !== opts.appId) return fail('wrong_app', 'token was issued for another app');

  // Checked before the signature: without kRtmLogin the token can never be accepted for login
  // (RTC tokens, for instance, sign a channel name we do not know, so their signature cannot
  // be checked here anyway).
  const loginExpireTs = parsed.privileges.get(Privilege006.rtmLogin);
  if (loginExpireTs === undefined) {
    return fail('no_privilege', 'token does not grant the RTM login privilege');
  }

  // RTM layout: the account sits in the channel-name slot and the uid slot is empty.
  const expected = signature006(opts.appCertificate, parsed.appId, opts.uid, '', parsed.message);
  if (!safeEqual(parsed.signature, expected)) {
    // The uid is only part of the signed text, so a token for another account just fails the
    // signature. The token also carries an (unsigned) CRC of its account: when that differs
    // from crc32(uid) we report wrong_uid, otherwise bad_signature. A forged CRC can only turn
    // one refusal into the other.
    if (parsed.crcChannelName !== crc32(opts.uid)) {
      return fail('wrong_uid', 'token was issued for another uid');
    }
    return fail('bad_signature', 'token signature does not match');
  }
  // The CRCs are not signed; insisting they match keeps a valid token from being altered.
  if (parsed.crcChannelName !== crc32(opts.uid) || parsed.crcUid !== crc32('')) {
    return fail('malformed', 'token CRC fields do not match its signed content');
  }

  if (isExpired(parsed.ts, nowSec)) return fail('expired', 'token has expired');
  if (isExpired(loginExpireTs, nowSec)) return fail('expired', 'login privilege has expired');
  // The returned expiry is the login privilege's: `ts` only bounds when the token may be used.
  return { ok: true, kind: '006', expireTs: loginExpireTs };
}

function verify007(token: string, opts: VerifyOptions, nowSec: number): TokenCheck {
  const parsed = parseAccessToken007(token);
  if (!parsed) return fail('malformed', 'not a well-formed 007 access token');
  if (parsed.appId !== opts.appId) return fail('wrong_app', 'token was issued for another app');

  const expected = signature007(
    opts.appCertificate,
    parsed.issueTs,
    parsed.salt,
    parsed.signingInfo,
  );
  if (!safeEqual(parsed.signature, expected)) {
    return fail('bad_signature', 'token signature does not match');
  }

  // RtmTokenBuilder.buildToken emits an RTM service (type 2); buildTokenWithPermissions an
  // RTM2 service (type 8). Both carry the user id and a login privilege. (Loops, not filters:
  // this runs on every login.)
  let rtmServices = 0;
  let mine = 0;
  let loginDuration: number | undefined;
  for (const service of parsed.services) {
    if (service.type !== ServiceType007.rtm && service.type !== ServiceType007.rtm2) continue;
    rtmServices++;
    if (service.userId !== opts.uid) continue;
    mine++;
    loginDuration ??= service.privileges.get(RTM_LOGIN_PRIVILEGE_007);
  }
  if (rtmServices === 0) return fail('no_privilege', 'token has no RTM service');
  if (mine === 0) return fail('wrong_uid', 'token was issued for another uid');
  if (loginDuration === undefined) {
    return fail('no_privilege', 'token does not grant the RTM login privilege');
  }

  // Both the token lifetime and the privilege are durations from issueTs; 0 means no limit.
  const lifetime =
    parsed.expire === 0
      ? loginDuration
      : loginDuration === 0
        ? parsed.expire
        : Math.min(parsed.expire, loginDuration);
  const expireTs = lifetime === 0 ? 0 : parsed.issueTs + lifetime;
  if (isExpired(expireTs, nowSec)) return fail('expired', 'token has expired');
  return { ok: true, kind: '007', expireTs };
}

function verifySignaling(token: string, opts: VerifyOptions, nowSec: number): TokenCheck {
  const parsed = parseSignalingToken(token);
  if (!parsed) return fail('malformed', 'not a well-formed signaling token');
  if (parsed.appId !== opts.appId) return fail('wrong_app', 'token was issued for another app');
  // The account is only hashed, so a token for another uid is reported as a bad signature.
  const expected = signalingDigest(
    parsed.appId,
    opts.appCertificate,
    opts.uid,
    parsed.expiredTimeText,
  );
  if (!safeEqual(Buffer.from(parsed.digest, 'latin1'), Buffer.from(expected, 'latin1'))) {
    return fail('bad_signature', 'token signature does not match (or was issued for another uid)');
  }
  if (isExpired(parsed.expiredTs, nowSec)) return fail('expired', 'token has expired');
  return { ok: true, kind: 'signaling', expireTs: parsed.expiredTs };
}

/**
 * Verifies a 006, 007 or legacy signaling token for an RTM login by `opts.uid`.
 * Never throws: anything unusable is reported as a failure.
 */
export function verifyToken(token: string, opts: VerifyOptions): TokenCheck {
  try {
    if (typeof token !== 'string') return fail('malformed', 'token is not a string');
    if (token.length > MAX_TOKEN_LENGTH) return fail('malformed', 'token is too long');
    const { appId, appCertificate, uid, nowSec } = opts ?? ({} as Partial<VerifyOptions>);
    if (typeof appId !== 'string' || appId.length === 0) {
      return fail('wrong_app', 'no app id to verify against');
    }
    if (typeof appCertificate !== 'string' || appCertificate.length === 0) {
      return fail('bad_signature', 'no app certificate to verify with');
    }
    if (typeof uid !== 'string') return fail('wrong_uid', 'uid is not a string');
    const now =
      typeof nowSec === 'number' && Number.isFinite(nowSec)
        ? nowSec
        : Math.floor(Date.now() / 1000);
    const checked: VerifyOptions = { appId, appCertificate, uid };

    if (token.startsWith('006')) return verify006(token, checked, now);
    if (token.startsWith('007')) return verify007(token, checked, now);
    if (token.startsWith('1:')) return verifySignaling(token, checked, now);
    return fail('malformed', 'unrecognised token format');
  } catch {
    return fail('malformed', 'token could not be decoded');
  }
}

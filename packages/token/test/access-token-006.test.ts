import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import agoraAccessToken from 'agora-access-token';
import { AccessToken, priviledges } from 'agora-access-token/src/AccessToken.js';
import { Privilege006, buildRtmToken006, parseAccessToken006, verifyToken } from '../src/index.js';
import {
  APP_CERT,
  APP_ID,
  NOW,
  OTHER_APP_CERT,
  OTHER_APP_ID,
  OTHER_UID,
  UID,
  flipByte,
  join006,
  reasonOf,
  split006,
  verifyOpts,
} from './fixtures.js';

const { RtmTokenBuilder, RtcTokenBuilder, RtcRole, RtmRole } = agoraAccessToken;

// Offsets inside the decoded 006 content (see src/access-token-006.ts).
const SIGNATURE_OFFSET = 2;
const CRC_CHANNEL_OFFSET = 34;
const PRIVILEGE_VALUE_OFFSET = 56;

/** What agora-access-token's RtmTokenBuilder does, with salt and ts pinned. */
function referenceRtmToken(
  appId: string,
  cert: string,
  account: string,
  expireTs: number,
  salt: number,
  ts: number,
) {
  const token = new AccessToken(appId, cert, account, '');
  token.salt = salt;
  token.ts = ts;
  token.addPriviledge(priviledges.kRtmLogin, expireTs);
  return token.build();
}

const opts = verifyOpts;

describe('006 builder matches agora-access-token byte for byte', () => {
  const cases = [
    { account: UID, expireTs: NOW + 3600, salt: 1, ts: NOW + 86400 },
    { account: 'a', expireTs: 0, salt: 0xfffffffe, ts: 1 },
    { account: 'user with spaces!#$%', expireTs: 0xffffffff, salt: 123456789, ts: 0 },
    { account: 'ユーザー', expireTs: 1446455471, salt: 42, ts: 1446455471 },
    { account: 'x'.repeat(64), expireTs: NOW, salt: 7, ts: NOW },
  ];
  for (const c of cases) {
    test(`account ${JSON.stringify(c.account)}, expire ${c.expireTs}, salt ${c.salt}`, () => {
      const ours = buildRtmToken006(APP_ID, APP_CERT, c.account, c.expireTs, {
        salt: c.salt,
        ts: c.ts,
      });
      assert.equal(ours, referenceRtmToken(APP_ID, APP_CERT, c.account, c.expireTs, c.salt, c.ts));
    });
  }

  test('reproduces RtmTokenBuilder.buildToken given the salt and ts it chose', () => {
    const reference = RtmTokenBuilder.buildToken(
      APP_ID,
      APP_CERT,
      UID,
      RtmRole.Rtm_User,
      NOW + 600,
    );
    const parsed = new AccessToken('', '', '', '');
    assert.equal(parsed.fromString(reference), true);
    const ours = buildRtmToken006(APP_ID, APP_CERT, UID, NOW + 600, {
      salt: parsed.salt,
      ts: parsed.ts,
    });
    assert.equal(ours, reference);
  });

  test('defaults: ts is now + 24h and two builds differ only by their random salt', () => {
    const before = Math.floor(Date.now() / 1000);
    const a = parseAccessToken006(buildRtmToken006(APP_ID, APP_CERT, UID, 0));
    const after = Math.floor(Date.now() / 1000);
    assert.ok(a);
    assert.ok(a.ts >= before + 86400 && a.ts <= after + 86400);
    const salts = new Set(
      Array.from(
        { length: 8 },
        () => parseAccessToken006(buildRtmToken006(APP_ID, APP_CERT, UID, 0))?.salt,
      ),
    );
    assert.ok(salts.size > 1, 'salt should be random');
  });

  test('rejects values that do not fit a uint32 field', () => {
    assert.throws(() => buildRtmToken006(APP_ID, APP_CERT, UID, -1), RangeError);
    assert.throws(() => buildRtmToken006(APP_ID, APP_CERT, UID, 2 ** 32), RangeError);
    assert.throws(() => buildRtmToken006(APP_ID, APP_CERT, UID, 1.5), RangeError);
    assert.throws(() => buildRtmToken006(APP_ID, APP_CERT, UID, 0, { salt: -1 }), RangeError);
    assert.throws(() => buildRtmToken006('', APP_CERT, UID, 0), TypeError);
  });
});

describe('parseAccessToken006', () => {
  test('reads the fields and privileges map of an RTM token', () => {
    const token = referenceRtmToken(APP_ID, APP_CERT, UID, NOW + 600, 99, NOW + 86400);
    const parsed = parseAccessToken006(token);
    assert.ok(parsed);
    assert.equal(parsed.appId, APP_ID);
    assert.equal(parsed.salt, 99);
    assert.equal(parsed.ts, NOW + 86400);
    assert.deepEqual([...parsed.privileges], [[Privilege006.rtmLogin, NOW + 600]]);
  });

  test('reads the privileges map of an RTC token', () => {
    const token = RtcTokenBuilder.buildTokenWithUid(
      APP_ID,
      APP_CERT,
      'channel',
      1234,
      RtcRole.PUBLISHER,
      NOW + 600,
    );
    const parsed = parseAccessToken006(token);
    assert.ok(parsed);
    assert.deepEqual(
      [...parsed.privileges],
      [
        [Privilege006.joinChannel, NOW + 600],
        [Privilege006.publishAudioStream, NOW + 600],
        [Privilege006.publishVideoStream, NOW + 600],
        [Privilege006.publishDataStream, NOW + 600],
      ],
    );
  });

  test('returns null for garbage and for trailing or non-canonical base64', () => {
    const token = referenceRtmToken(APP_ID, APP_CERT, UID, 0, 1, 1);
    assert.equal(parseAccessToken006('006'), null);
    assert.equal(parseAccessToken006('006' + APP_ID + '!!!!'), null);
    assert.equal(parseAccessToken006(token.slice(0, -4)), null);
    const { prefix, content } = split006(token);
    assert.equal(
      parseAccessToken006(join006(prefix, Buffer.concat([content, Buffer.of(0)]))),
      null,
    );
    assert.equal(parseAccessToken006(token + '\n'), null);
  });
});

describe('verifyToken on 006 tokens', () => {
  const expireTs = NOW + 3600;
  const reference = RtmTokenBuilder.buildToken(APP_ID, APP_CERT, UID, RtmRole.Rtm_User, expireTs);

  test('accepts an RtmTokenBuilder token for the right app and uid', () => {
    assert.deepEqual(verifyToken(reference, opts()), { ok: true, kind: '006', expireTs });
  });

  test('accepts our own token', () => {
    const ours = buildRtmToken006(APP_ID, APP_CERT, UID, expireTs);
    assert.deepEqual(verifyToken(ours, opts()), { ok: true, kind: '006', expireTs });
  });

  test('accepts an app id that is not 32 characters long', () => {
    const ours = buildRtmToken006('my-app', APP_CERT, UID, expireTs);
    assert.deepEqual(verifyToken(ours, opts({ appId: 'my-app' })), {
      ok: true,
      kind: '006',
      expireTs,
    });
    assert.equal(verifyToken(ours, opts({ appId: 'my-ap' })).ok, false);
  });

  test('refuses another uid as wrong_uid (told apart by the account CRC)', () => {
    assert.equal(reasonOf(verifyToken(reference, opts({ uid: OTHER_UID }))), 'wrong_uid');
  });

  test('refuses a token of another app as wrong_app', () => {
    const other = RtmTokenBuilder.buildToken(OTHER_APP_ID, APP_CERT, UID, 1, expireTs);
    assert.equal(reasonOf(verifyToken(other, opts())), 'wrong_app');
    assert.equal(reasonOf(verifyToken(reference, opts({ appId: OTHER_APP_ID }))), 'wrong_app');
  });

  test('refuses a token signed with another certificate as bad_signature', () => {
    const forged = RtmTokenBuilder.buildToken(APP_ID, OTHER_APP_CERT, UID, 1, expireTs);
    assert.equal(reasonOf(verifyToken(forged, opts())), 'bad_signature');
    assert.equal(
      reasonOf(verifyToken(reference, opts({ appCertificate: OTHER_APP_CERT }))),
      'bad_signature',
    );
  });

  test('refuses a tampered signature or privilege as bad_signature', () => {
    const { prefix, content } = split006(reference);
    const badSignature = join006(prefix, flipByte(content, SIGNATURE_OFFSET + 5));
    assert.equal(reasonOf(verifyToken(badSignature, opts())), 'bad_signature');
    const longer = Buffer.from(content);
    longer.writeUInt32LE(expireTs + 86400, PRIVILEGE_VALUE_OFFSET);
    assert.equal(reasonOf(verifyToken(join006(prefix, longer), opts())), 'bad_signature');
  });

  test('refuses a token whose unsigned account CRC was altered', () => {
    const { prefix, content } = split006(reference);
    const altered = join006(prefix, flipByte(content, CRC_CHANNEL_OFFSET));
    assert.equal(reasonOf(verifyToken(altered, opts())), 'malformed');
  });

  test('expires when the login privilege timestamp is reached', () => {
    assert.equal(verifyToken(reference, opts({ nowSec: expireTs - 1 })).ok, true);
    assert.equal(reasonOf(verifyToken(reference, opts({ nowSec: expireTs }))), 'expired');
  });

  test('expires when the token ts is reached even if the privilege never expires', () => {
    const token = referenceRtmToken(APP_ID, APP_CERT, UID, 0, 5, NOW + 10);
    assert.deepEqual(verifyToken(token, opts({ nowSec: NOW + 9 })), {
      ok: true,
      kind: '006',
      expireTs: 0,
    });
    assert.equal(reasonOf(verifyToken(token, opts({ nowSec: NOW + 10 }))), 'expired');
  });

  test('a zero privilege timestamp and a zero ts never expire', () => {
    const token = referenceRtmToken(APP_ID, APP_CERT, UID, 0, 5, 0);
    assert.deepEqual(verifyToken(token, opts({ nowSec: 0xffffffff })), {
      ok: true,
      kind: '006',
      expireTs: 0,
    });
  });

  test('refuses an RTC token (no kRtmLogin privilege) as no_privilege', () => {
    const rtc = RtcTokenBuilder.buildTokenWithAccount(
      APP_ID,
      APP_CERT,
      'channel',
      UID,
      RtcRole.PUBLISHER,
      expireTs,
    );
    assert.equal(reasonOf(verifyToken(rtc, opts())), 'no_privilege');
  });
});

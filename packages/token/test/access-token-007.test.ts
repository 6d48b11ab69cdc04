import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import agoraToken from 'agora-token';
import {
  AccessToken2,
  ServiceRtc,
  ServiceRtm,
  kRtmServiceType,
} from 'agora-token/src/AccessToken2.js';
import {
  RTM_LOGIN_PRIVILEGE_007,
  ServiceType007,
  buildRtmToken007,
  parseAccessToken007,
  verifyToken,
} from '../src/index.js';
import {
  APP_CERT,
  APP_ID,
  NOW,
  OTHER_APP_CERT,
  OTHER_APP_ID,
  OTHER_UID,
  UID,
  deflate007,
  flipByte,
  inflate007,
  reasonOf,
  verifyOpts as opts,
} from './fixtures.js';

const { RtmTokenBuilder, RtcTokenBuilder, RtcRole, Rtm2Permissions } = agoraToken;

// Offsets inside the inflated content of a token for the 32-character APP_ID.
const SIGNATURE_OFFSET = 2;
const EXPIRE_OFFSET = 72;

/**
 * What agora-token's RtmTokenBuilder.buildToken does, with issueTs and salt pinned; the
 * login privilege defaults to the token expiry as in the builder.
 */
function referenceRtmToken(
  userId: string,
  expire: number,
  issueTs: number,
  salt: number,
  loginExpire: number | null = expire,
  appId = APP_ID,
  cert = APP_CERT,
): string {
  const token = new AccessToken2(appId, cert, issueTs, expire);
  token.salt = salt;
  const rtm = new ServiceRtm(userId);
  if (loginExpire !== null) rtm.add_privilege(ServiceRtm.kPrivilegeLogin, loginExpire);
  token.add_service(rtm);
  return token.build();
}

describe('007 builder matches agora-token byte for byte', () => {
  const cases = [
    { userId: UID, expire: 600, issueTs: NOW, salt: 1 },
    { userId: 'a', expire: 86400, issueTs: 1, salt: 99999999 },
    { userId: 'user with spaces!#$%', expire: 0, issueTs: 0xffffffff, salt: 12345 },
    { userId: 'ユーザー', expire: 3600, issueTs: NOW, salt: 4242 },
    { userId: 'x'.repeat(64), expire: 0xffffffff, issueTs: NOW, salt: 7 },
  ];
  for (const c of cases) {
    test(`user ${JSON.stringify(c.userId)}, expire ${c.expire}, issueTs ${c.issueTs}`, () => {
      const ours = buildRtmToken007(APP_ID, APP_CERT, c.userId, c.expire, {
        salt: c.salt,
        issueTs: c.issueTs,
      });
      assert.equal(ours, referenceRtmToken(c.userId, c.expire, c.issueTs, c.salt));
    });
  }

  test('reproduces RtmTokenBuilder.buildToken given the issueTs and salt it chose', () => {
    const reference = RtmTokenBuilder.buildToken(APP_ID, APP_CERT, UID, 600);
    const parsed = new AccessToken2('', '', 0, 0);
    assert.equal(parsed.from_string(reference), true);
    const ours = buildRtmToken007(APP_ID, APP_CERT, UID, 600, {
      salt: parsed.salt,
      issueTs: parsed.issueTs,
    });
    assert.equal(ours, reference);
  });

  test('our token parses and verifies with agora-token', () => {
    const ours = buildRtmToken007(APP_ID, APP_CERT, UID, 600, { salt: 5, issueTs: NOW });
    const parsed = new AccessToken2('', '', 0, 0);
    assert.equal(parsed.from_string(ours), true);
    assert.equal(parsed.verifySignature(APP_CERT), true);
    assert.equal(parsed.verifySignature(OTHER_APP_CERT), false);
    assert.equal(parsed.appId.toString(), APP_ID);
    assert.equal(parsed.issueTs, NOW);
    assert.equal(parsed.expire, 600);
    const [rtm] = parsed.getServices(kRtmServiceType) as ServiceRtm[];
    assert.ok(rtm);
    assert.equal(rtm.__user_id.toString(), UID);
    assert.equal(rtm.__privileges[ServiceRtm.kPrivilegeLogin], 600);
  });

  test('defaults: issueTs is now and the salt is random in [1, 99999999]', () => {
    const before = Math.floor(Date.now() / 1000);
    const parsed = parseAccessToken007(buildRtmToken007(APP_ID, APP_CERT, UID, 600));
    const after = Math.floor(Date.now() / 1000);
    assert.ok(parsed);
    assert.ok(parsed.issueTs >= before && parsed.issueTs <= after);
    const salts = Array.from(
      { length: 8 },
      () => parseAccessToken007(buildRtmToken007(APP_ID, APP_CERT, UID, 600))?.salt ?? 0,
    );
    assert.ok(salts.every((salt) => salt >= 1 && salt <= 99999999));
    assert.ok(new Set(salts).size > 1, 'salt should be random');
  });

  test('rejects values that do not fit a uint32 field', () => {
    assert.throws(() => buildRtmToken007(APP_ID, APP_CERT, UID, -1), RangeError);
    assert.throws(
      () => buildRtmToken007(APP_ID, APP_CERT, UID, 600, { issueTs: 2 ** 32 }),
      RangeError,
    );
    assert.throws(() => buildRtmToken007('', APP_CERT, UID, 600), TypeError);
  });
});

describe('parseAccessToken007', () => {
  test('reads the header and the RTM service', () => {
    const parsed = parseAccessToken007(referenceRtmToken(UID, 600, NOW, 77));
    assert.ok(parsed);
    assert.equal(parsed.appId, APP_ID);
    assert.equal(parsed.issueTs, NOW);
    assert.equal(parsed.expire, 600);
    assert.equal(parsed.salt, 77);
    assert.equal(parsed.undecodedServices, 0);
    assert.deepEqual(parsed.services, [
      {
        type: ServiceType007.rtm,
        privileges: new Map([[RTM_LOGIN_PRIVILEGE_007, 600]]),
        userId: UID,
      },
    ]);
  });

  test('walks past an RTC service to the RTM service after it', () => {
    const token = RtcTokenBuilder.buildTokenWithRtm(
      APP_ID,
      APP_CERT,
      'chan',
      UID,
      RtcRole.PUBLISHER,
      600,
      300,
    );
    const parsed = parseAccessToken007(token);
    assert.ok(parsed);
    assert.deepEqual(
      parsed.services.map((service) => [service.type, service.userId]),
      [
        [ServiceType007.rtc, undefined],
        [ServiceType007.rtm, UID],
      ],
    );
  });

  test('returns null for garbage', () => {
    assert.equal(parseAccessToken007('007'), null);
    assert.equal(parseAccessToken007('007!!!!'), null);
    assert.equal(parseAccessToken007('007' + Buffer.from('not zlib').toString('base64')), null);
    assert.equal(parseAccessToken007(deflate007(Buffer.from([0x20, 0x00, 0x01]))), null);
  });
});

describe('verifyToken on 007 tokens', () => {
  const reference = referenceRtmToken(UID, 600, NOW, 31337);

  test('accepts an RtmTokenBuilder token for the right app and uid', () => {
    const built = RtmTokenBuilder.buildToken(APP_ID, APP_CERT, UID, 600);
    const issueTs = parseAccessToken007(built)?.issueTs ?? -1;
    assert.deepEqual(verifyToken(built, opts({ nowSec: issueTs })), {
      ok: true,
      kind: '007',
      expireTs: issueTs + 600,
    });
  });

  test('accepts our own token', () => {
    const ours = buildRtmToken007(APP_ID, APP_CERT, UID, 600, { issueTs: NOW });
    assert.deepEqual(verifyToken(ours, opts()), { ok: true, kind: '007', expireTs: NOW + 600 });
  });

  test('refuses another uid as wrong_uid', () => {
    assert.equal(reasonOf(verifyToken(reference, opts({ uid: OTHER_UID }))), 'wrong_uid');
  });

  test('refuses a token of another app as wrong_app', () => {
    const other = referenceRtmToken(UID, 600, NOW, 1, 600, OTHER_APP_ID);
    assert.equal(reasonOf(verifyToken(other, opts())), 'wrong_app');
    assert.equal(reasonOf(verifyToken(reference, opts({ appId: OTHER_APP_ID }))), 'wrong_app');
  });

  test('refuses a token signed with another certificate as bad_signature', () => {
    const forged = referenceRtmToken(UID, 600, NOW, 1, 600, APP_ID, OTHER_APP_CERT);
    assert.equal(reasonOf(verifyToken(forged, opts())), 'bad_signature');
    assert.equal(
      reasonOf(verifyToken(reference, opts({ appCertificate: OTHER_APP_CERT }))),
      'bad_signature',
    );
  });

  test('refuses a tampered signature or expiry as bad_signature', () => {
    const content = inflate007(reference);
    const badSignature = deflate007(flipByte(content, SIGNATURE_OFFSET));
    assert.equal(reasonOf(verifyToken(badSignature, opts())), 'bad_signature');
    const longer = Buffer.from(content);
    longer.writeUInt32LE(86400, EXPIRE_OFFSET);
    assert.equal(reasonOf(verifyToken(deflate007(longer), opts())), 'bad_signature');
  });

  test('expires at issueTs + expire', () => {
    assert.equal(verifyToken(reference, opts({ nowSec: NOW + 599 })).ok, true);
    assert.equal(reasonOf(verifyToken(reference, opts({ nowSec: NOW + 600 }))), 'expired');
  });

  test('a shorter login privilege ends the token earlier', () => {
    const token = referenceRtmToken(UID, 600, NOW, 1, 300);
    assert.deepEqual(verifyToken(token, opts()), { ok: true, kind: '007', expireTs: NOW + 300 });
    assert.equal(reasonOf(verifyToken(token, opts({ nowSec: NOW + 300 }))), 'expired');
  });

  test('zero durations mean no limit', () => {
    const privilegeZero = referenceRtmToken(UID, 600, NOW, 1, 0);
    assert.deepEqual(verifyToken(privilegeZero, opts()), {
      ok: true,
      kind: '007',
      expireTs: NOW + 600,
    });
    const tokenZero = referenceRtmToken(UID, 0, NOW, 1, 300);
    assert.deepEqual(verifyToken(tokenZero, opts()), {
      ok: true,
      kind: '007',
      expireTs: NOW + 300,
    });
    const bothZero = referenceRtmToken(UID, 0, NOW, 1, 0);
    assert.deepEqual(verifyToken(bothZero, opts({ nowSec: 0xffffffff })), {
      ok: true,
      kind: '007',
      expireTs: 0,
    });
  });

  test('refuses an RTC-only token as no_privilege', () => {
    const rtc = RtcTokenBuilder.buildTokenWithUserAccount(
      APP_ID,
      APP_CERT,
      'chan',
      UID,
      RtcRole.PUBLISHER,
      600,
      600,
    );
    assert.equal(
      reasonOf(verifyToken(rtc, opts({ nowSec: Math.floor(Date.now() / 1000) }))),
      'no_privilege',
    );
  });

  test('refuses an RTM service without the login privilege as no_privilege', () => {
    const token = referenceRtmToken(UID, 600, NOW, 1, null);
    assert.equal(reasonOf(verifyToken(token, opts())), 'no_privilege');
  });

  test('accepts an RTC + RTM token for the RTM account', () => {
    const token = new AccessToken2(APP_ID, APP_CERT, NOW, 600);
    const rtc = new ServiceRtc('chan', 1234);
    rtc.add_privilege(ServiceRtc.kPrivilegeJoinChannel, 600);
    token.add_service(rtc);
    const rtm = new ServiceRtm(UID);
    rtm.add_privilege(ServiceRtm.kPrivilegeLogin, 600);
    token.add_service(rtm);
    assert.deepEqual(verifyToken(token.build(), opts()), {
      ok: true,
      kind: '007',
      expireTs: NOW + 600,
    });
  });

  test('accepts an RTM2 token built with permissions', () => {
    const permissions = new Rtm2Permissions();
    permissions.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kRead, ['a', 'b']);
    const token = RtmTokenBuilder.buildTokenWithPermissions(
      APP_ID,
      APP_CERT,
      UID,
      permissions,
      600,
    );
    const parsed = parseAccessToken007(token);
    assert.equal(parsed?.services[0]?.type, ServiceType007.rtm2);
    const now = parsed?.issueTs ?? 0;
    assert.deepEqual(verifyToken(token, opts({ nowSec: now })), {
      ok: true,
      kind: '007',
      expireTs: now + 600,
    });
    assert.equal(reasonOf(verifyToken(token, opts({ nowSec: now, uid: OTHER_UID }))), 'wrong_uid');
  });
});

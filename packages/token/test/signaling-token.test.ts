import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import SignalingToken from 'agora-access-token/src/SignalingToken.js';
import { buildSignalingToken, parseSignalingToken, verifyToken } from '../src/index.js';
import {
  APP_CERT,
  APP_ID,
  NOW,
  OTHER_APP_CERT,
  OTHER_APP_ID,
  OTHER_UID,
  UID,
  reasonOf,
  verifyOpts as opts,
} from './fixtures.js';

describe('signaling builder matches agora-access-token byte for byte', () => {
  const cases = [
    { account: UID, valid: 3600 },
    { account: 'ユーザー', valid: 86400 },
    { account: '', valid: 1 },
  ];
  for (const c of cases) {
    test(`account ${JSON.stringify(c.account)}, valid ${c.valid}s`, (t) => {
      // SignalingToken.get reads the clock: pin it so the expected expiry is known.
      t.mock.timers.enable({ apis: ['Date'], now: NOW * 1000 + 250 });
      const reference = SignalingToken.get(APP_ID, APP_CERT, c.account, c.valid);
      assert.equal(buildSignalingToken(APP_ID, APP_CERT, c.account, NOW + c.valid), reference);
    });
  }

  test('get1DayToken equals a token expiring 24h from now', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW * 1000 });
    const reference = SignalingToken.get1DayToken(APP_ID, APP_CERT, UID);
    assert.equal(buildSignalingToken(APP_ID, APP_CERT, UID, NOW + 86400), reference);
  });

  test('rejects an expiry that is not a non-negative integer', () => {
    assert.throws(() => buildSignalingToken(APP_ID, APP_CERT, UID, -1), RangeError);
    assert.throws(() => buildSignalingToken(APP_ID, APP_CERT, UID, 1.5), RangeError);
    assert.throws(() => buildSignalingToken(APP_ID, APP_CERT, UID, Number.NaN), RangeError);
  });
});

describe('parseSignalingToken', () => {
  test('splits from the right so an app id may contain ":"', () => {
    const token = buildSignalingToken('app:with:colons', APP_CERT, UID, NOW);
    assert.deepEqual(parseSignalingToken(token), {
      appId: 'app:with:colons',
      expiredTimeText: String(NOW),
      expiredTs: NOW,
      digest: token.slice(-32),
    });
    assert.equal(verifyToken(token, opts({ appId: 'app:with:colons', nowSec: NOW - 1 })).ok, true);
  });

  test('returns null for malformed tokens', () => {
    const digest = 'a'.repeat(32);
    for (const bad of [
      '1:',
      `1:${APP_ID}:${digest}`,
      `1::${NOW}:${digest}`,
      `2:${APP_ID}:${NOW}:${digest}`,
      `1:${APP_ID}:0${NOW}:${digest}`,
      `1:${APP_ID}:-5:${digest}`,
      `1:${APP_ID}:${NOW}:${digest.toUpperCase()}`,
      `1:${APP_ID}:${NOW}:${digest}0`,
    ]) {
      assert.equal(parseSignalingToken(bad), null, bad);
    }
  });
});

describe('verifyToken on signaling tokens', () => {
  const expiredTs = NOW + 3600;
  const reference = (() => {
    mock.timers.enable({ apis: ['Date'], now: NOW * 1000 }); // only while building the fixture
    try {
      return SignalingToken.get(APP_ID, APP_CERT, UID, 3600);
    } finally {
      mock.timers.reset();
    }
  })();

  test('the fixture really comes from SignalingToken.get with the pinned clock', () => {
    assert.equal(parseSignalingToken(reference)?.expiredTs, expiredTs);
  });

  test('accepts a SignalingToken token for the right app and account', () => {
    assert.deepEqual(verifyToken(reference, opts()), {
      ok: true,
      kind: 'signaling',
      expireTs: expiredTs,
    });
  });

  test('refuses another account as bad_signature (the account is only hashed)', () => {
    assert.equal(reasonOf(verifyToken(reference, opts({ uid: OTHER_UID }))), 'bad_signature');
  });

  test('refuses another app as wrong_app', () => {
    assert.equal(reasonOf(verifyToken(reference, opts({ appId: OTHER_APP_ID }))), 'wrong_app');
  });

  test('refuses another certificate or a tampered digest / expiry as bad_signature', () => {
    assert.equal(
      reasonOf(verifyToken(reference, opts({ appCertificate: OTHER_APP_CERT }))),
      'bad_signature',
    );
    const last = reference.at(-1) === '0' ? '1' : '0';
    assert.equal(reasonOf(verifyToken(reference.slice(0, -1) + last, opts())), 'bad_signature');
    const later = reference.replace(`:${expiredTs}:`, `:${expiredTs + 86400}:`);
    assert.equal(reasonOf(verifyToken(later, opts())), 'bad_signature');
  });

  test('expires at expiredTime', () => {
    assert.equal(verifyToken(reference, opts({ nowSec: expiredTs - 1 })).ok, true);
    assert.equal(reasonOf(verifyToken(reference, opts({ nowSec: expiredTs }))), 'expired');
  });

  test('an expiredTime of 0 never expires', () => {
    const token = buildSignalingToken(APP_ID, APP_CERT, UID, 0);
    assert.deepEqual(verifyToken(token, opts({ nowSec: 0xffffffff })), {
      ok: true,
      kind: 'signaling',
      expireTs: 0,
    });
  });
});

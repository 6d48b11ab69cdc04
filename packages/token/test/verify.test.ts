import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  MAX_TOKEN_LENGTH,
  buildRtmToken006,
  buildRtmToken007,
  buildSignalingToken,
  verifyToken,
  type TokenCheck,
} from '../src/index.js';
import {
  APP_CERT,
  APP_ID,
  NOW,
  deflate007,
  inflate007,
  join006,
  reasonOf,
  split006,
  UID,
  verifyOpts as opts,
} from './fixtures.js';

const token006 = buildRtmToken006(APP_ID, APP_CERT, UID, NOW + 600, { salt: 1, ts: NOW + 86400 });
const token007 = buildRtmToken007(APP_ID, APP_CERT, UID, 600, { salt: 1, issueTs: NOW });
const tokenSignaling = buildSignalingToken(APP_ID, APP_CERT, UID, NOW + 600);

/** The result has exactly the documented shape. */
function assertWellFormed(result: TokenCheck): void {
  if (result.ok) {
    assert.deepEqual(Object.keys(result).sort(), ['expireTs', 'kind', 'ok']);
  } else {
    assert.deepEqual(Object.keys(result).sort(), ['message', 'ok', 'reason']);
    assert.equal(typeof result.message, 'string');
  }
}

describe('verifyToken dispatch', () => {
  test('recognises each format', () => {
    assert.deepEqual(verifyToken(token006, opts()), { ok: true, kind: '006', expireTs: NOW + 600 });
    assert.deepEqual(verifyToken(token007, opts()), { ok: true, kind: '007', expireTs: NOW + 600 });
    assert.deepEqual(verifyToken(tokenSignaling, opts()), {
      ok: true,
      kind: 'signaling',
      expireTs: NOW + 600,
    });
  });

  test('uses the system clock when nowSec is absent or not a finite number', () => {
    const expired = buildRtmToken007(APP_ID, APP_CERT, UID, 600, { issueTs: NOW });
    const { nowSec: _omitted, ...noClock } = opts();
    assert.equal(reasonOf(verifyToken(expired, noClock)), 'expired');
    assert.equal(reasonOf(verifyToken(expired, opts({ nowSec: Number.NaN }))), 'expired');
    const fresh = buildRtmToken007(APP_ID, APP_CERT, UID, 600);
    assert.equal(verifyToken(fresh, noClock).ok, true);
  });
});

describe('verifyToken never throws on garbage', () => {
  const zipBomb = '007' + deflateSync(Buffer.alloc(1 << 20)).toString('base64');
  const garbage: unknown[] = [
    '',
    'abc',
    '006',
    '007',
    '1:',
    '006' + APP_ID,
    '006' + APP_ID + '!!!!',
    '007!!!!',
    '007' + Buffer.from('not zlib').toString('base64'),
    deflate007(Buffer.from('short')),
    deflate007(Buffer.alloc(0)),
    zipBomb,
    token006.slice(0, -8),
    token007.slice(0, -8),
    '\u0000'.repeat(64),
    'x'.repeat(MAX_TOKEN_LENGTH + 1),
    undefined,
    null,
    42,
    {},
  ];
  for (const input of garbage) {
    const label = typeof input === 'string' ? JSON.stringify(input.slice(0, 40)) : String(input);
    test(`${label} is malformed`, () => {
      const result = verifyToken(input as string, opts());
      assertWellFormed(result);
      assert.equal(reasonOf(result), 'malformed');
    });
  }

  test('bad options are refused, not thrown', () => {
    const bad = (o: unknown) => verifyToken(token007, o as Parameters<typeof verifyToken>[1]);
    assert.equal(reasonOf(bad(undefined)), 'wrong_app');
    assert.equal(reasonOf(bad({ ...opts(), appId: '' })), 'wrong_app');
    assert.equal(reasonOf(bad({ ...opts(), appCertificate: '' })), 'bad_signature');
    assert.equal(reasonOf(bad({ ...opts(), appCertificate: 5 })), 'bad_signature');
    assert.equal(reasonOf(bad({ ...opts(), uid: 7 })), 'wrong_uid');
  });

  test('random strings, with or without a known prefix, never verify', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '006', '006' + APP_ID, '007', '007eJ', '1:', `1:${APP_ID}:`),
        fc.string({ maxLength: 300 }),
        (prefix, rest) => {
          const result = verifyToken(prefix + rest, opts());
          assertWellFormed(result);
          assert.equal(result.ok, false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyToken never accepts an altered token', () => {
  const mutate = (text: string, index: number, char: string) =>
    text.slice(0, index) + char + text.slice(index + 1);
  const charAt = fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:',
  );

  for (const [kind, token] of [
    ['006', token006],
    ['signaling', tokenSignaling],
  ] as const) {
    test(`${kind}: any single-character change is refused`, () => {
      fc.assert(
        fc.property(fc.nat({ max: token.length - 1 }), charAt, (index, char) => {
          fc.pre(token[index] !== char);
          assert.equal(verifyToken(mutate(token, index, char), opts()).ok, false);
        }),
        { numRuns: 500 },
      );
    });
  }

  test('006: any change to a decoded content byte is refused', () => {
    const { prefix, content } = split006(token006);
    fc.assert(
      fc.property(fc.nat({ max: content.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const altered = Buffer.from(content);
        altered[i] = (altered[i] ?? 0) ^ x;
        assert.equal(verifyToken(join006(prefix, altered), opts()).ok, false);
      }),
      { numRuns: 500 },
    );
  });

  test('007: any change to an inflated content byte is refused', () => {
    const content = inflate007(token007);
    fc.assert(
      fc.property(fc.nat({ max: content.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const altered = Buffer.from(content);
        altered[i] = (altered[i] ?? 0) ^ x;
        assert.equal(verifyToken(deflate007(altered), opts()).ok, false);
      }),
      { numRuns: 500 },
    );
  });
});

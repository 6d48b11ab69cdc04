import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { LoginError } from '@parley/protocol';
import { ManualClock, RawSocket, testServer } from '@parley/testkit';
import { Auth } from '../src/services/auth.js';

const require = createRequire(import.meta.url);
const tokenPkgDir = new URL('../../token/', import.meta.url);
const agoraToken = require(require.resolve('agora-token', { paths: [tokenPkgDir.pathname] })) as {
  RtmTokenBuilder: { buildToken(appId: string, cert: string, uid: string, expire: number): string };
};

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERT = '5CFd2fd1755d40ecb72977518be15d3b';
const token007 = (uid: string, expire = 3600) =>
  agoraToken.RtmTokenBuilder.buildToken(APP_ID, CERT, uid, expire);

test('the token cache is bounded, keeps the most recently used, and answers only its uid', () => {
  const auth = new Auth([{ appId: APP_ID, appCertificate: CERT }], 2);
  const now = Date.now();
  const [a, b, c] = ['tc-a', 'tc-b', 'tc-c'].map((u) => token007(u));
  assert.equal(auth.check(APP_ID, 'tc-a', a, now).ok, true);
  assert.equal(auth.check(APP_ID, 'tc-b', b, now).ok, true);
  assert.equal(auth.cachedTokens, 2);
  assert.equal(auth.check(APP_ID, 'tc-a', a, now).ok, true); // a is the most recent now
  assert.equal(auth.check(APP_ID, 'tc-c', c, now).ok, true); // b goes
  assert.equal(auth.cachedTokens, 2);
  // A cached token still belongs to its uid and app only.
  const other = auth.check(APP_ID, 'tc-x', a, now);
  assert.equal(other.ok, false);
  assert.equal(!other.ok && other.code, LoginError.INVALID_TOKEN);
  const wrongApp = auth.check('00000000000000000000000000000001', 'tc-a', a, now);
  assert.equal(wrongApp.ok, false);
  assert.equal(new Auth([{ appId: APP_ID, appCertificate: CERT }], 0).cachedTokens, 0);
});

test('a cached token is refused once it expired (the server’s clock), with TOKEN_EXPIRED', async () => {
  const clock = new ManualClock();
  const server = await testServer({ clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
  try {
    const token = token007('tc-exp', 60);
    const login = async (i: number) => {
      const s = await RawSocket.open(server.url);
      const r = await s.request({ t: 'login', i, a: APP_ID, u: 'tc-exp', k: token });
      s.close();
      return r;
    };
    assert.equal((await login(1)).t, 'ok');
    assert.equal((await login(2)).t, 'ok', 'the same token again (from the cache)');
    await clock.advance(61_000);
    const late = await login(3);
    assert.equal(late.t, 'err');
    assert.equal(late.c, LoginError.TOKEN_EXPIRED);
  } finally {
    await server.close();
  }
});

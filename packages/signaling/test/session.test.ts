import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSignalingToken } from '@parley/token';
import Signal, {
  SignalClient,
  signalUid,
  SignalingCode as C,
  type Session,
} from '@parley/signaling';
import {
  APP,
  CutProxy,
  entries,
  eventually,
  loggedIn,
  ManualClock,
  nextTurn,
  record,
  signal,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';
import type { RunningServer } from '../../server/src/index.js';

/** Logs in on a given Signal object; resolves on onLoginSuccess. */
function loginOn(sig: SignalClient, account: string): Promise<Session> {
  const session = sig.login(account, '_no_need_token');
  return new Promise((resolve, reject) => {
    session.onLoginSuccess = () => resolve(session);
    session.onLoginFailed = (e) => reject(new Error(`onLoginFailed(${e})`));
  });
}

describe('Signaling login and logout (open mode)', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('Signal(appId) and new Signal(appId) give the Signal object', () => {
    const a = Signal(APP, { serverUrl: server.url });
    const b = new Signal(APP, { serverUrl: server.url });
    assert.ok(a instanceof SignalClient && b instanceof SignalClient);
    assert.deepEqual([a.appid, a.vid, a.getSDKVersion(), a.getStatus()], [APP, APP, '1.4.0', 0]);
  });

  test('login answers the session at once; onLoginSuccess(uid) follows; getStatus 1 then 2', async () => {
    const session = signal(server).login('s-alice', '_no_need_token');
    assert.equal(session.account, 's-alice');
    assert.equal(session.getStatus(), 1);
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'login');
    assert.deepEqual(log, [['onLoginSuccess', signalUid('s-alice')]]);
    assert.equal(session.uid, signalUid('s-alice'));
    assert.equal(session.getStatus(), 2);
    assert.equal(session.isOnline(), true);
    await signOut(session);
  });

  test('setDoLog(true, level) prints logins and logouts; off by default; setup_debugging changes nothing', async () => {
    const printed: string[] = [];
    const info = console.info;
    console.info = (...a: unknown[]) => printed.push(a.join(' '));
    try {
      const quiet = signal(server);
      quiet.setup_debugging('ap', '127.0.0.1');
      await signOut(await loginOn(quiet, 's-quiet'));
      assert.deepEqual(printed, []);
      const loud = signal(server);
      loud.setDoLog(true, 'INFO');
      await signOut(await loginOn(loud, 's-loud'));
      assert.deepEqual(printed, [
        '[signaling INFO] s-loud: logged in',
        '[signaling INFO] s-loud: logged out (101)',
      ]);
      printed.length = 0;
      loud.setDoLog(true, 'WARNING');
      await signOut(await loginOn(loud, 's-loud'));
      assert.deepEqual(printed, []);
    } finally {
      console.info = info;
    }
  });

  test('the uid of an account is stable and non-zero', () => {
    assert.equal(signalUid('bob'), signalUid('bob'));
    assert.notEqual(signalUid('bob'), signalUid('bob2'));
    assert.ok(signalUid('') > 0 && signalUid('bob') <= 0xffffffff);
  });

  test('login while logged in is ignored and answers the same session', async () => {
    const sig = signal(server);
    const first = sig.login('s-twice', '_no_need_token');
    const again = sig.login('s-other', '_no_need_token');
    assert.equal(again, first);
    const log = record(first, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'login');
    assert.equal(sig.login('s-twice', '_no_need_token'), first);
    assert.deepEqual(log, [['onLoginSuccess', signalUid('s-twice')]]);
    await signOut(first);
    // After logout, login starts a new session.
    const next = sig.login('s-twice', '_no_need_token');
    assert.notEqual(next, first);
    await until(() => next.getStatus() === 2, 'second login');
    await signOut(next);
  });

  test('logout fires onLogout(101) and status 0; logout again fires onLogout(108) once', async () => {
    const session = await signedIn(server, 's-out');
    const log = record(session, ['onLogout']);
    session.logout();
    assert.equal(session.getStatus(), 0);
    await entries(log, 1, 'onLogout');
    session.logout();
    session.logout();
    await entries(log, 2, 'onLogout(108)');
    await nextTurn(); // a second 108 would be queued beside the first (a microtask)
    assert.deepEqual(log, [
      ['onLogout', C.LOGOUT_E_USER],
      ['onLogout', C.LOGOUT_E_ALREADY_LOGOUT],
    ]);
  });

  test('logout while logging in cancels it: onLogout(101), never onLoginSuccess/onLoginFailed', async () => {
    // A server of its own: once it holds no connection, no answer to the login is on its way.
    const own = await testServer();
    const session = signal(own).login('s-cancel', '_no_need_token');
    const log = record(session, ['onLoginSuccess', 'onLoginFailed', 'onLogout']);
    session.logout();
    await entries(log, 1, 'onLogout');
    await eventually(async () => {
      const health = await fetch(`http://127.0.0.1:${own.port}/healthz`);
      return ((await health.json()) as { connections: number }).connections === 0;
    }, 'the login socket closed');
    await nextTurn();
    await own.close();
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_USER]]);
    assert.equal(session.getStatus(), 0);
  });

  test('an account with a space is refused with LOGIN_E_INVALID_USER (209)', async () => {
    const session = signal(server).login('has space', '_no_need_token');
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    assert.equal(session.getStatus(), 0);
    await entries(log, 1, 'onLoginFailed');
    assert.deepEqual(log, [['onLoginFailed', C.LOGIN_E_INVALID_USER]]);
  });

  test('an account RTM refuses (over 64 characters) fails with LOGIN_E_INVALID_USER', async () => {
    const session = signal(server).login('x'.repeat(65), '_no_need_token');
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'onLoginFailed');
    assert.deepEqual(log, [['onLoginFailed', C.LOGIN_E_INVALID_USER]]);
  });

  test('a server that cannot be reached fails with LOGIN_E_NET (201)', async () => {
    const session = Signal(APP, { serverUrl: 'ws://127.0.0.1:1', loginTimeoutMs: 500 }).login(
      's-net',
      '_no_need_token',
    );
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'onLoginFailed');
    assert.deepEqual(log, [['onLoginFailed', C.LOGIN_E_NET]]);
  });

  test('the same account logging in elsewhere (an RTM client) ends the session: onLogout(103)', async () => {
    const session = await signedIn(server, 's-kick');
    const log = record(session, ['onLogout']);
    const rtm = await loggedIn(server, 's-kick');
    await entries(log, 1, 'onLogout');
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_KICKED]]);
    assert.equal(session.getStatus(), 0);
    await rtm.logout();
  });

  test('C++ login2, logout, getStatus and destroy on the Signal object', async () => {
    const sig = signal(server);
    const session = sig.login2('s-cxx', '_no_need_token', 30, 3);
    await until(() => sig.getStatus() === 2, 'login2');
    const log = record(session, ['onLogout']);
    sig.destroy();
    await entries(log, 1, 'onLogout');
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_USER]]);
    assert.equal(sig.getStatus(), 0);
  });
});

describe('Signaling login with tokens (an app with a certificate)', () => {
  const CERT = '0123456789abcdef0123456789abcdef';
  let server: RunningServer;
  before(async () => {
    server = await testServer({ apps: [{ appId: APP, appCertificate: CERT }] });
  });
  after(() => server.close());

  const failed = async (account: string, token: string) => {
    const session = signal(server).login(account, token);
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'login result');
    return log;
  };

  test('a SignalingToken logs in', async () => {
    const token = buildSignalingToken(APP, CERT, 't-ok', Math.floor(Date.now() / 1000) + 3600);
    const session = await signedIn(server, 't-ok', {}, token);
    assert.equal(session.getStatus(), 2);
    await signOut(session);
  });

  test('_no_need_token is refused with LOGIN_E_TOKENWRONG (206) when the app has a certificate', async () => {
    assert.deepEqual(await failed('t-none', '_no_need_token'), [
      ['onLoginFailed', C.LOGIN_E_TOKENWRONG],
    ]);
  });

  test('a token of another account is refused with 206, an expired one with 204', async () => {
    const later = Math.floor(Date.now() / 1000) + 3600;
    assert.deepEqual(await failed('t-wrong', buildSignalingToken(APP, CERT, 'someone', later)), [
      ['onLoginFailed', C.LOGIN_E_TOKENWRONG],
    ]);
    const past = Math.floor(Date.now() / 1000) - 10;
    assert.deepEqual(await failed('t-old', buildSignalingToken(APP, CERT, 't-old', past)), [
      ['onLoginFailed', C.LOGIN_E_TOKENEXPIRED],
    ]);
  });

  test('an unknown appId is refused with LOGIN_E_FAILED (202)', async () => {
    const session = signal(server, {}, 'no_such_app').login('t-app', '_no_need_token');
    const log = record(session, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'onLoginFailed');
    assert.deepEqual(log, [['onLoginFailed', C.LOGIN_E_FAILED]]);
  });
});

describe('Signaling sessions ended by the server', () => {
  const AUTH = 'Basic ' + Buffer.from('ops:s3cret').toString('base64');
  let server: RunningServer;
  before(async () => {
    server = await testServer({ restKeys: [{ key: 'ops', secret: 's3cret' }] });
  });
  after(() => server.close());

  test('a REST ban: onLogout(103), the channel onChannelLeaved(603); logins refused with 202 meanwhile', async () => {
    const session = await signedIn(server, 'k-ban');
    const channel = session.channelJoin('k-room')!;
    await until(() => channel.state === 'joined', 'join');
    const log = record(session, ['onLogout']);
    record(channel, ['onChannelLeaved'], log);
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/apps/${APP}/users/k-ban/ban`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ durationSeconds: 60 }),
    });
    assert.equal(res.status, 200);
    await entries(log, 2, 'onLogout');
    assert.deepEqual(log, [
      ['onChannelLeaved', C.LEAVECHANNEL_E_LOGOUT],
      ['onLogout', C.LOGOUT_E_KICKED],
    ]);
    const again = signal(server).login('k-ban', '_no_need_token');
    const log2 = record(again, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log2, 1, 'refused');
    assert.deepEqual(log2, [['onLoginFailed', C.LOGIN_E_FAILED]]);
  });
});

describe('Signaling reconnects', () => {
  let server: RunningServer;
  let proxy: CutProxy;
  before(async () => {
    server = await testServer();
    proxy = await CutProxy.start(server.port);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  test('a dropped connection: onReconnecting(1), status 3, then onReconnected and status 2', async () => {
    const session = await signedIn(proxy, 'r-back');
    const log = record(session, ['onReconnecting', 'onReconnected', 'onLogout']);
    proxy.cut();
    await entries(log, 1, 'onReconnecting');
    assert.equal(session.getStatus(), 3);
    proxy.restore();
    await entries(log, 2, 'onReconnected');
    assert.deepEqual(log, [
      ['onReconnecting', 1],
      ['onReconnected', 0],
    ]);
    assert.equal(session.getStatus(), 2);
    await signOut(session);
  });

  test('still down after reconnect_time seconds of the clock: onLogout(102), the channel onChannelLeaved(604)', async () => {
    const clock = new ManualClock();
    const session = signal(proxy, { clock }).login('r-gone', '_no_need_token', 10, 1);
    await until(() => session.getStatus() === 2, 'login');
    const channel = session.channelJoin('r-room')!;
    const log = record(session, ['onReconnecting', 'onLogout']);
    record(channel, ['onChannelJoined', 'onChannelLeaved'], log);
    await entries(log, 1, 'joined');
    proxy.cut();
    await entries(log, 2, 'onReconnecting');
    await clock.advance(999);
    assert.deepEqual(log, [['onChannelJoined'], ['onReconnecting', 1]], 'still reconnecting');
    assert.equal(session.getStatus(), 3);
    await clock.advance(1);
    await entries(log, 4, 'onLogout');
    proxy.restore();
    assert.deepEqual(log, [
      ['onChannelJoined'],
      ['onReconnecting', 1],
      ['onChannelLeaved', C.LEAVECHANNEL_E_DISCONN],
      ['onLogout', C.LOGOUT_E_NET],
    ]);
    assert.equal(session.getStatus(), 0);
  });

  test('reconnect_count 0: a dropped connection logs out at once with onLogout(102)', async () => {
    const session = signal(proxy).login('r-never', '_no_need_token', 0, 30);
    await until(() => session.getStatus() === 2, 'login');
    const log = record(session, ['onReconnecting', 'onLogout']);
    proxy.cut();
    await entries(log, 1, 'onLogout');
    proxy.restore();
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_NET]]);
  });
});

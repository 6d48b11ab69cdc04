import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RtmError } from '@parley/sdk';
import {
  client,
  CutProxy,
  loggedIn,
  ManualClock,
  recordStates,
  testServer,
  until,
} from '@parley/testkit';
import type { RunningServer } from '../src/index.js';

describe('connection state', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('login then logout emits CONNECTING, CONNECTED, DISCONNECTED in that order', async () => {
    const c = client(server);
    const states = recordStates(c);
    await c.login({ uid: 'state-a' });
    assert.deepEqual(states, ['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
    await c.logout();
    assert.deepEqual(states, [
      'CONNECTING/LOGIN',
      'CONNECTED/LOGIN_SUCCESS',
      'DISCONNECTED/LOGOUT',
    ]);
  });

  test('a refused login goes CONNECTING then DISCONNECTED/LOGIN_FAILURE and rejects with the code', async () => {
    const c = client(server);
    const states = recordStates(c);
    await assert.rejects(c.login({ uid: 'null' }), (e: RtmError) => {
      assert.equal(e.code, 3);
      assert.equal(e.name, 'RtmInvalidArgumentError');
      assert.match(e.message, /uid/);
      return true;
    });
    assert.deepEqual(states, ['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_FAILURE']);
  });

  test('login while logged in rejects with LOGIN_ERR_ALREADY_LOGIN and changes nothing', async () => {
    const c = await loggedIn(server, 'state-b');
    const states = recordStates(c);
    await assert.rejects(c.login({ uid: 'state-b' }), (e: RtmError) => e.code === 8);
    assert.deepEqual(states, []);
    assert.equal(c.connectionState, 'CONNECTED');
    await c.logout();
  });

  test('the same uid logging in elsewhere aborts the older client with REMOTE_LOGIN', async () => {
    const first = await loggedIn(server, 'state-c');
    const states = recordStates(first);
    const second = await loggedIn(server, 'state-c');
    await until(() => states.length > 0, 'ABORTED on the first client');
    assert.deepEqual(states, ['ABORTED/REMOTE_LOGIN']);
    // An aborted client must log out before logging in again.
    await assert.rejects(first.login({ uid: 'state-c' }), (e: RtmError) => e.code === 8);
    await first.logout();
    assert.deepEqual(states, ['ABORTED/REMOTE_LOGIN', 'DISCONNECTED/LOGOUT']);
    assert.equal(second.connectionState, 'CONNECTED');
    const online = await second.queryPeersOnlineStatus(['state-c']);
    assert.deepEqual(online, { 'state-c': true });
    await second.logout();
  });

  test('login to an unreachable server times out with LOGIN_TIMEOUT once loginTimeoutMs passed on the clock', async () => {
    const proxy = await CutProxy.start(server.port);
    proxy.cut();
    const clock = new ManualClock();
    // A multiple of the 250 ms sweep that checks every deadline.
    const c = client(proxy.url, { loginTimeoutMs: 1000, clock });
    const states = recordStates(c);
    const login = assert.rejects(
      c.login({ uid: 'state-d' }),
      (e: RtmError) => e.code === 9 && e.name === 'RtmTimeoutError',
    );
    await clock.advance(1000);
    await login;
    assert.deepEqual(states, ['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_TIMEOUT']);
    await proxy.close();
  });

  test('clients on one clock share one sweep timer, and each still times its own login out', async (t) => {
    const proxy = await CutProxy.start(server.port);
    t.after(() => proxy.close());
    proxy.cut();
    const clock = new ManualClock();
    const timesOut = (c: ReturnType<typeof client>, uid: string) =>
      assert.rejects(c.login({ uid }), (e: RtmError) => e.code === 9);
    const a = client(proxy.url, { loginTimeoutMs: 1000, clock });
    const b = client(proxy.url, { loginTimeoutMs: 2000, clock });
    const c = client(proxy.url, { loginTimeoutMs: 1000, clock });
    // Should an assertion fail, the logins still end (and with them the sockets).
    t.after(() => Promise.all([a, b, c].map((x) => x.logout().catch(() => undefined))));
    const logins = [timesOut(a, 'sweep-a'), timesOut(b, 'sweep-b'), timesOut(c, 'sweep-c')];
    assert.equal(clock.pending, 1, 'one timer for the three clients');
    await clock.advance(1000);
    await Promise.all([logins[0], logins[2]]);
    assert.equal(b.connectionState, 'CONNECTING');
    assert.equal(clock.pending, 1, 'the sweep goes on for the one left');
    await clock.advance(1000);
    await logins[1];
    assert.equal(clock.pending, 0, 'and stops with the last');
  });

  test('logout while logging in rejects the login with ABORTED_BY_LOGOUT', async () => {
    const proxy = await CutProxy.start(server.port);
    proxy.cut();
    const c = client(proxy.url);
    const states = recordStates(c);
    const login = c.login({ uid: 'state-e' });
    await until(() => states.includes('CONNECTING/LOGIN'), 'the login under way');
    await c.logout();
    await assert.rejects(login, (e: RtmError) => e.code === 201);
    assert.deepEqual(states, ['CONNECTING/LOGIN', 'DISCONNECTED/LOGOUT']);
    await proxy.close();
  });

  test('logout when not logged in rejects with 102', async () => {
    const c = client(server);
    await assert.rejects(c.logout(), (e: RtmError) => e.code === 102 && e instanceof RtmError);
  });

  test('a third login within one second is refused with LOGIN_ERR_TOO_OFTEN', async () => {
    const clock = new ManualClock();
    const c = client(server, { clock });
    await c.login({ uid: 'state-f' });
    await c.logout();
    await c.login({ uid: 'state-f' });
    await c.logout();
    await assert.rejects(
      c.login({ uid: 'state-f' }),
      (e: RtmError) => e.code === 10 && e.name === 'RtmInvokeTooOftenError',
    );
    assert.equal(c.connectionState, 'DISCONNECTED');
    await clock.advance(1000);
    await c.login({ uid: 'state-f' });
    await c.logout();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  APP,
  client,
  CutProxy,
  eventually,
  loggedIn,
  logOf,
  receiver,
  recordLocal,
  recordStates,
  testServer,
  until,
} from '@parley/testkit';

describe('invitations across reconnects and session ends', () => {
  let server: RunningServer;
  let proxy: CutProxy;
  before(async () => {
    server = await testServer({ resumeWindowMs: 1500, sweepIntervalMs: 100 });
    proxy = await CutProxy.start(server.port);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  /** A client behind the proxy, logged in, with its state changes recorded. */
  async function behindProxy(uid: string, log: string[]): Promise<[RtmClient, string[]]> {
    const c = client(proxy.url);
    receiver(c, log);
    await c.login({ uid });
    return [c, recordStates(c)];
  }

  async function nothingLeft(): Promise<void> {
    assert.equal(await server.backend.invitations.count(), 0, 'the server holds no invitation');
  }

  test('the callee resumes inside the window: the cancel made while it was away arrives after the resume', async () => {
    const log: string[] = [];
    const [bob, states] = await behindProxy('rs-bob', log);
    const alice = await loggedIn(server, 'rs-alice');
    const call = alice.createLocalInvitation('rs-bob');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
    call.content = 'sorry';
    call.cancel();
    // The cancel is done on the server (its record goes), and waits in bob's session.
    await eventually(
      async () => (await server.backend.invitations.count()) === 0,
      'the server to take the cancel',
    );
    assert.equal(log.length, 3, 'nothing reaches the callee while it is away');
    proxy.restore();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Canceled CANCELED',
      'callee Canceled(sorry) CANCELED',
    ]);
    assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    await Promise.all([alice.logout(), bob.logout()]);
    await nothingLeft();
  });

  test('the caller resumes inside the window: the accept made while it was away completes on both sides', async () => {
    const log: string[] = [];
    const alice = client(proxy.url);
    await alice.login({ uid: 'rs-alice2' });
    const states = recordStates(alice);
    const bob = client(server);
    const got = receiver(bob, log);
    await bob.login({ uid: 'rs-bob2' });
    const call = alice.createLocalInvitation('rs-bob2');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
    await until(
      () => server.sessions.hub.byUserId(APP, 'rs-alice2')?.attached === false,
      'the server sees the caller gone',
    );
    got[0]!.response = 'ok';
    got[0]!.accept();
    await eventually(
      async () =>
        (await server.backend.invitations.get(APP, 'rs-alice2', call.callId))?.phase ===
        'accepting',
      'the server to take the accept',
    );
    assert.equal(log.length, 2, 'the caller hears nothing while away; the callee waits');
    assert.equal(got[0]!.state, 'ACCEPT_SENT_TO_LOCAL');
    proxy.restore();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Accepted(ok) ACCEPTED_BY_REMOTE',
      'callee Accepted ACCEPTED',
    ]);
    await Promise.all([alice.logout(), bob.logout()]);
    await nothingLeft();
  });

  test('a callee gone past the window: the caller hears PEER_OFFLINE; the callee’s SDK fails it when its session is renewed', async () => {
    const log: string[] = [];
    const [bob, states] = await behindProxy('rs-bob3', log);
    const alice = await loggedIn(server, 'rs-alice3');
    const call = alice.createLocalInvitation('rs-bob3');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    proxy.cut();
    await logOf(log, 3, 5000);
    assert.equal(log[2], 'caller Failure(PEER_OFFLINE) FAILURE');
    proxy.restore();
    await logOf(log, 4, 5000);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Failure(PEER_OFFLINE) FAILURE',
      'callee Failure(UNKNOWN) FAILURE',
    ]);
    assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    await Promise.all([alice.logout(), bob.logout()]);
    await nothingLeft();
  });

  test('the caller logs out: its invitation fails with NOT_LOGGEDIN, the callee hears PEER_OFFLINE', async () => {
    const log: string[] = [];
    const alice = await loggedIn(server, 'rs-alice4');
    const bob = client(server);
    receiver(bob, log);
    await bob.login({ uid: 'rs-bob4' });
    const call = alice.createLocalInvitation('rs-bob4');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    await alice.logout();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      // The server ends the session (and tells the callee) before it answers the logout.
      'callee Failure(PEER_OFFLINE) FAILURE',
      'caller Failure(NOT_LOGGEDIN) FAILURE',
    ]);
    await bob.logout();
    await nothingLeft();
  });

  test('the callee logs out: its invitation fails with UNKNOWN, the caller hears PEER_OFFLINE', async () => {
    const log: string[] = [];
    const alice = await loggedIn(server, 'rs-alice5');
    const bob = client(server);
    receiver(bob, log);
    await bob.login({ uid: 'rs-bob5' });
    const call = alice.createLocalInvitation('rs-bob5');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    await bob.logout();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Failure(PEER_OFFLINE) FAILURE',
      'callee Failure(UNKNOWN) FAILURE',
    ]);
    await alice.logout();
    await nothingLeft();
  });
});

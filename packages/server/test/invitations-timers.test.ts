import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
  fastTimers,
  loggedIn,
  logOf,
  RawParty,
  receiver,
  recordLocal,
  sleep,
  testServer,
} from '@parley/testkit';

describe('call invitation timers (scaled to hundreds of ms)', () => {
  let server: RunningServer;
  let alice: RtmClient;
  before(async () => {
    server = await testServer(fastTimers);
    alice = await loggedIn(server, 'tm-alice');
  });
  after(async () => {
    await alice.logout();
    await server.close();
  });

  async function nothingLeft(): Promise<void> {
    assert.equal(await server.backend.invitations.count(), 0, 'the server holds no invitation');
  }

  test('callee never online: PEER_OFFLINE for the caller after invitationPeerOfflineMs', async () => {
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-nobody');
    recordLocal(call, log);
    const t0 = Date.now();
    call.send();
    await logOf(log, 1);
    const waited = Date.now() - t0;
    assert.deepEqual(log, ['caller Failure(PEER_OFFLINE) FAILURE']);
    assert.ok(waited >= fastTimers.invitationPeerOfflineMs - 5, `after ${waited} ms`);
    await nothingLeft();
  });

  test('callee logs in within invitationPeerOfflineMs: delivered, then it can answer', async () => {
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-late');
    recordLocal(call, log);
    call.send();
    await sleep(150);
    const late = client(server);
    const got = receiver(late, log);
    await late.login({ uid: 'tm-late' });
    await logOf(log, 2);
    got[0]!.accept();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Accepted() ACCEPTED_BY_REMOTE',
      'callee Accepted ACCEPTED',
    ]);
    await late.logout();
    await nothingLeft();
  });

  test('callee online but its SDK never acknowledges: PEER_NO_RESPONSE after invitationNoResponseMs', async () => {
    const raw = await RawParty.login(server.url, 'tm-mute');
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-mute');
    call.content = 'hello?';
    recordLocal(call, log);
    const t0 = Date.now();
    call.send();
    await logOf(log, 1);
    const waited = Date.now() - t0;
    assert.deepEqual(log, ['caller Failure(PEER_NO_RESPONSE) FAILURE']);
    assert.ok(waited >= fastTimers.invitationNoResponseMs - 5, `after ${waited} ms`);
    assert.deepEqual(await raw.waitPushes(2), [
      { t: 'rinv', f: 'tm-alice', id: call.callId, e: 'Received', ch: '', c: 'hello?' },
      { t: 'rinv', f: 'tm-alice', id: call.callId, e: 'Failure', why: 'INVITATION_EXPIRE' },
    ]);
    raw.close();
    await nothingLeft();
  });

  test('nobody acts: INVITATION_EXPIRE on both sides, invitationExpireMs after receipt', async () => {
    const bob = client(server);
    const callerLog: string[] = [];
    const calleeLog: string[] = [];
    receiver(bob, calleeLog);
    await bob.login({ uid: 'tm-bob' });
    const call = alice.createLocalInvitation('tm-bob');
    recordLocal(call, callerLog);
    call.send();
    await logOf(callerLog, 1);
    const received = Date.now();
    await logOf(callerLog, 2);
    await logOf(calleeLog, 2);
    const waited = Date.now() - received;
    assert.deepEqual(callerLog, [
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Failure(INVITATION_EXPIRE) FAILURE',
    ]);
    assert.deepEqual(calleeLog, [
      'callee Received() INVITATION_RECEIVED',
      'callee Failure(INVITATION_EXPIRE) FAILURE',
    ]);
    assert.ok(waited >= fastTimers.invitationExpireMs - 20, `after ${waited} ms`);
    await bob.logout();
    await nothingLeft();
  });

  test('the caller vanishes after the callee accepted: ACCEPT_FAILURE after invitationAcceptTimeoutMs', async () => {
    const carol = client(server);
    const log: string[] = [];
    receiver(carol, log, (inv) => {
      inv.response = 'yes';
      inv.accept();
    });
    await carol.login({ uid: 'tm-carol' });
    const raw = await RawParty.login(server.url, 'tm-ghost');
    await raw.request({ t: 'inv.send', id: 'ghost-1', to: 'tm-carol', ch: 'c', c: 'hi' });
    await raw.waitPushes(2);
    assert.deepEqual(raw.pushes(), [
      { t: 'linv', id: 'ghost-1', e: 'ReceivedByPeer' },
      { t: 'linv', id: 'ghost-1', e: 'Accepted', r: 'yes' },
    ]);
    raw.close(); // gone without confirming: its session waits for a resume that never comes
    await logOf(log, 2);
    assert.deepEqual(log, [
      'callee Received(hi) INVITATION_RECEIVED',
      'callee Failure(ACCEPT_FAILURE) FAILURE',
    ]);
    await carol.logout();
    await nothingLeft();
  });

  test('the timers of an answered invitation never fire: no late event on either side', async () => {
    const dave = client(server);
    const log: string[] = [];
    receiver(dave, log, (inv) => inv.refuse());
    await dave.login({ uid: 'tm-dave' });
    const call = alice.createLocalInvitation('tm-dave');
    recordLocal(call, log);
    call.send();
    await logOf(log, 4);
    await sleep(fastTimers.invitationExpireMs + fastTimers.invitationNoResponseMs + 200);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'callee Refused REFUSED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Refused() REFUSED_BY_REMOTE',
    ]);
    await dave.logout();
    await nothingLeft();
  });
});

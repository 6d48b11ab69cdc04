import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
  fastTimers,
  loggedIn,
  logOf,
  clockedServer,
  type ManualClock,
  RawParty,
  receiver,
  recordLocal,
  until,
} from '@parley/testkit';

describe('call invitation timers on the server clock', () => {
  // The server's clock moves only when a test says so, so each timer is checked 1 ms before
  // its deadline (nothing yet) and at it. The clients ping on real time: the liveness windows
  // are longer than any time advanced here.
  const phases: string[] = [];
  let clock: ManualClock;
  let server: RunningServer;
  let alice: RtmClient;
  before(async () => {
    ({ server, clock } = await clockedServer(fastTimers));
    server.events.on('invitation', (e) => phases.push(`${e.id}:${e.phase}`));
    alice = await loggedIn(server, 'tm-alice');
  });
  after(async () => {
    await alice.logout();
    await server.close();
  });

  async function nothingLeft(): Promise<void> {
    assert.equal(await server.backend.invitations.count(), 0, 'the server holds no invitation');
  }
  /** The server has stored the invitation and armed its first timer. */
  const sent = (id: string) => until(() => phases.includes(`${id}:sent`), `${id} sent`);
  /** A round trip of each client: what the server pushed it before the answer has arrived. */
  async function settled(...clients: RtmClient[]): Promise<void> {
    for (const c of clients) await c.queryPeersOnlineStatus(['tm-alice']);
  }

  test('callee never online: PEER_OFFLINE for the caller at invitationPeerOfflineMs', async () => {
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-nobody');
    recordLocal(call, log);
    call.send();
    await sent(call.callId);
    await clock.advance(fastTimers.invitationPeerOfflineMs - 1);
    await settled(alice);
    assert.deepEqual(log, [], 'not before its time');
    await clock.advance(1);
    await logOf(log, 1);
    assert.deepEqual(log, ['caller Failure(PEER_OFFLINE) FAILURE']);
    await nothingLeft();
  });

  test('callee logs in within invitationPeerOfflineMs: delivered, then it can answer', async () => {
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-late');
    recordLocal(call, log);
    call.send();
    await sent(call.callId);
    await clock.advance(fastTimers.invitationPeerOfflineMs - 1);
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

  test('callee online but its SDK never acknowledges: PEER_NO_RESPONSE at invitationNoResponseMs', async () => {
    const raw = await RawParty.login(server.url, 'tm-mute');
    const log: string[] = [];
    const call = alice.createLocalInvitation('tm-mute');
    call.content = 'hello?';
    recordLocal(call, log);
    call.send();
    await raw.waitPushes(1);
    await settled(alice);
    await clock.advance(fastTimers.invitationNoResponseMs - 1);
    await settled(alice);
    assert.deepEqual(log, [], 'not before its time');
    await clock.advance(1);
    await logOf(log, 1);
    assert.deepEqual(log, ['caller Failure(PEER_NO_RESPONSE) FAILURE']);
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
    await clock.advance(fastTimers.invitationExpireMs - 1);
    await settled(alice, bob);
    assert.deepEqual(callerLog, ['caller ReceivedByPeer RECEIVED_BY_REMOTE'], 'not before');
    assert.deepEqual(calleeLog, ['callee Received() INVITATION_RECEIVED'], 'not before');
    await clock.advance(1);
    await logOf(callerLog, 2);
    await logOf(calleeLog, 2);
    assert.deepEqual(callerLog, [
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Failure(INVITATION_EXPIRE) FAILURE',
    ]);
    assert.deepEqual(calleeLog, [
      'callee Received() INVITATION_RECEIVED',
      'callee Failure(INVITATION_EXPIRE) FAILURE',
    ]);
    await bob.logout();
    await nothingLeft();
  });

  test('the caller vanishes after the callee accepted: ACCEPT_FAILURE at invitationAcceptTimeoutMs', async () => {
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
    await clock.advance(fastTimers.invitationAcceptTimeoutMs - 1);
    await settled(carol);
    assert.deepEqual(log, ['callee Received(hi) INVITATION_RECEIVED'], 'not before its time');
    await clock.advance(1);
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
    await clock.advance(
      fastTimers.invitationPeerOfflineMs +
        fastTimers.invitationExpireMs +
        fastTimers.invitationNoResponseMs +
        fastTimers.invitationAcceptTimeoutMs,
    );
    await settled(alice, dave);
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

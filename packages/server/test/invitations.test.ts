import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { END_CALL_PREFIX, type RemoteInvitation, type RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
  eventually,
  type Frame,
  loggedIn,
  logOf,
  markerText,
  peerMarkers,
  RawParty,
  receiver,
  recordLocal,
  testServer,
} from '@parley/testkit';

describe('call invitations: answers, cancel, offline callee, legacy end-call', () => {
  let server: RunningServer;
  let alice: RtmClient;
  let bob: RtmClient;
  before(async () => {
    // The accept timeout is out of reach: an ACCEPT_FAILURE here comes from the caller leaving.
    server = await testServer({ invitationAcceptTimeoutMs: 600_000 });
    [alice, bob] = await Promise.all([loggedIn(server, 'inv-alice'), loggedIn(server, 'inv-bob')]);
  });
  after(async () => {
    await Promise.all([alice.logout(), bob.logout()]);
    await server.close();
  });

  /** Fresh listeners per test: the clients are shared. */
  function setup(onReceived?: (inv: RemoteInvitation) => void) {
    bob.removeAllListeners('RemoteInvitationReceived');
    const log: string[] = [];
    const got = receiver(bob, log, onReceived);
    return { log, got };
  }

  /** Both sides have everything the server sent them so far. */
  function markers(): Promise<void> {
    return peerMarkers(alice, 'inv-alice', bob, 'inv-bob');
  }

  /** Nothing more arrives, and the server's invitation record goes (written after the events). */
  async function nothingLeft(): Promise<void> {
    await markers();
    await eventually(
      async () => (await server.backend.invitations.count()) === 0,
      'the server holds no invitation',
    );
  }

  test('accept: SENT_TO_REMOTE at send, callee Received, caller ReceivedByPeer, then Accepted(response) on both sides', async () => {
    const { log, got } = setup();
    const call = alice.createLocalInvitation('inv-bob');
    assert.equal(call.state, 'IDLE');
    call.content = 'ring ring';
    call.channelId = 'room-1';
    recordLocal(call, log);
    call.send();
    log.push(`caller send() ${call.state}`);
    await logOf(log, 3);
    const inv = got[0]!;
    assert.equal(inv.callerId, 'inv-alice');
    assert.equal(inv.channelId, 'room-1');
    assert.equal(inv.content, 'ring ring');
    inv.response = 'on my way';
    inv.accept();
    log.push(`callee accept() ${inv.state}`);
    await logOf(log, 6);
    assert.deepEqual(log, [
      'caller send() SENT_TO_REMOTE',
      'callee Received(ring ring) INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'callee accept() ACCEPT_SENT_TO_LOCAL',
      'caller Accepted(on my way) ACCEPTED_BY_REMOTE',
      'callee Accepted ACCEPTED',
    ]);
    assert.equal(call.response, 'on my way');
    assert.equal(call.state, 'ACCEPTED_BY_REMOTE');
    assert.equal(inv.state, 'ACCEPTED');
    await nothingLeft();
    assert.equal(log.length, 6, 'nothing after the end');
  });

  test('accept inside RemoteInvitationReceived: the caller still hears ReceivedByPeer before Accepted', async () => {
    const { log } = setup((inv) => {
      inv.response = 'hi';
      inv.accept();
    });
    const call = alice.createLocalInvitation('inv-bob');
    recordLocal(call, log);
    call.send();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Accepted(hi) ACCEPTED_BY_REMOTE',
      'callee Accepted ACCEPTED',
    ]);
    await nothingLeft();
  });

  test('refuse with a response: the callee ends at once, the caller hears Refused(response)', async () => {
    const { log, got } = setup();
    const call = alice.createLocalInvitation('inv-bob');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    got[0]!.response = 'busy';
    got[0]!.refuse();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'callee Refused REFUSED',
      'caller Refused(busy) REFUSED_BY_REMOTE',
    ]);
    assert.equal(call.response, 'busy');
    await nothingLeft();
  });

  test('cancel with content: the caller ends at once, the callee hears Canceled(content) and reads it', async () => {
    const { log, got } = setup();
    const call = alice.createLocalInvitation('inv-bob');
    call.content = 'first';
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    call.content = 'never mind';
    call.cancel();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received(first) INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Canceled CANCELED',
      'callee Canceled(never mind) CANCELED',
    ]);
    assert.equal(got[0]!.content, 'never mind');
    await nothingLeft();
  });

  test('cancel right after send: the callee rings, then hears the cancel; the caller only Canceled', async () => {
    const { log } = setup();
    const call = alice.createLocalInvitation('inv-bob');
    recordLocal(call, log);
    call.send();
    call.cancel();
    await logOf(log, 3);
    await markers();
    assert.deepEqual(log, [
      'caller Canceled CANCELED',
      'callee Received() INVITATION_RECEIVED',
      'callee Canceled() CANCELED',
    ]);
    await nothingLeft();
  });

  test('an answer crossing a cancel: each side ends once, as CANCELED; later events are ignored', async () => {
    const { log, got } = setup();
    const call = alice.createLocalInvitation('inv-bob');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    got[0]!.accept();
    call.cancel();
    await logOf(log, 4);
    await markers();
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'caller Canceled CANCELED',
      'callee Canceled() CANCELED',
    ]);
    await nothingLeft();
  });

  test('callee offline: the invitation waits and rings when the callee logs in', async () => {
    const log: string[] = [];
    const call = alice.createLocalInvitation('inv-carol');
    recordLocal(call, log);
    call.send();
    await eventually(
      async () => (await server.backend.invitations.count()) === 1,
      'the server holds the invitation',
    );
    await markers();
    assert.deepEqual(log, [], 'nothing while the callee is offline');
    const carol = client(server);
    const got = receiver(carol, log);
    await carol.login({ uid: 'inv-carol' });
    await logOf(log, 2);
    got[0]!.refuse();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'callee Refused REFUSED',
      'caller Refused() REFUSED_BY_REMOTE',
    ]);
    await carol.logout();
    await nothingLeft();
  });

  test('the caller not logged in: SENT_TO_REMOTE, then LocalInvitationFailure(NOT_LOGGEDIN)', async () => {
    const offline = client(server);
    const log: string[] = [];
    const call = offline.createLocalInvitation('inv-bob');
    recordLocal(call, log);
    call.send();
    assert.equal(call.state, 'SENT_TO_REMOTE');
    assert.deepEqual(log, [], 'the failure is reported asynchronously, as on the web');
    await logOf(log, 1);
    assert.deepEqual(log, ['caller Failure(NOT_LOGGEDIN) FAILURE']);
  });

  test('legacy end-call message: cancels the matching received invitation on both sides, and is not a peer message', async () => {
    const { log, got } = setup();
    const texts: string[] = [];
    bob.on('MessageFromPeer', (m) => texts.push((m as { text: string }).text));
    const call = alice.createLocalInvitation('inv-bob');
    call.channelId = 'legacy_room'; // ids may hold '_': the invitation's own says where it ends
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    await alice.sendMessageToPeer({ text: `${END_CALL_PREFIX}_other-room_bye` }, 'inv-bob');
    await alice.sendMessageToPeer({ text: `${END_CALL_PREFIX}_legacy_room_bye` }, 'inv-bob');
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'callee Canceled(bye) CANCELED',
      'caller Canceled CANCELED',
    ]);
    assert.equal(got[0]!.content, 'bye');
    assert.deepEqual(
      texts,
      [`${END_CALL_PREFIX}_other-room_bye`],
      'one for another channel reaches the app as a peer message, as on the web',
    );
    bob.removeAllListeners('MessageFromPeer');
    await nothingLeft();
  });

  test('a duplicate invitation id is dropped by the callee', async () => {
    const { log } = setup();
    const raw = await RawParty.login(server.url, 'inv-raw-caller');
    const first = { t: 'inv.send', id: 'dup-1', to: 'inv-bob', ch: '', c: 'one' };
    assert.equal((await raw.request(first)).t, 'ok');
    assert.equal((await raw.request(first)).t, 'ok', 'a resent send of a live invitation');
    await raw.waitPushes(1);
    await logOf(log, 1);
    await raw.request({ t: 'inv.cancel', id: 'dup-1', c: '' });
    await logOf(log, 2);
    // The same id again, once the first has ended: the callee's SDK has seen it, and drops it.
    assert.equal((await raw.request({ ...first, c: 'two' })).t, 'ok');
    // Markers both ways: bob has what followed the resend, and the raw caller what followed bob.
    const text = markerText();
    const arrived = new Promise<void>((resolve) =>
      bob.on('MessageFromPeer', (m) => m.text === text && resolve()),
    );
    await raw.request({ t: 'psend', to: 'inv-bob', m: { k: 'T', x: text } });
    await arrived;
    const back = markerText();
    const sent = bob.sendMessageToPeer({ text: back }, 'inv-raw-caller');
    const isBack = (f: Frame) => f.t === 'msg' && (f.m as { x?: string }).x === back;
    await raw.raw.waitFor(() => raw.raw.frames.some(isBack), 'the marker from bob');
    raw.raw.send({ t: 'ack', s: raw.raw.frames.find(isBack)!.s }); // what an SDK would do
    await sent;
    bob.removeAllListeners('MessageFromPeer');
    assert.deepEqual(log, [
      'callee Received(one) INVITATION_RECEIVED',
      'callee Canceled() CANCELED',
    ]);
    assert.deepEqual(raw.pushes(), [{ t: 'linv', id: 'dup-1', e: 'ReceivedByPeer' }]);
    await raw.request({ t: 'inv.cancel', id: 'dup-1', c: '' });
    raw.close();
    await nothingLeft();
  });

  test('the callee logs in elsewhere before its SDK acknowledged: the new login rings', async () => {
    const log: string[] = [];
    const first = await RawParty.login(server.url, 'inv-dora'); // never acknowledges
    const call = alice.createLocalInvitation('inv-dora');
    recordLocal(call, log);
    call.send();
    await first.waitPushes(1);
    const second = client(server);
    const got = receiver(second, log);
    await second.login({ uid: 'inv-dora' });
    await logOf(log, 2);
    got[0]!.refuse();
    await logOf(log, 4);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'caller ReceivedByPeer RECEIVED_BY_REMOTE',
      'callee Refused REFUSED',
      'caller Refused() REFUSED_BY_REMOTE',
    ]);
    assert.equal((await first.raw.waitClosed()).reason, 'REMOTE_LOGIN');
    await second.logout();
    await nothingLeft();
  });

  test('the caller logs out after the callee accepted: the logout, not the accept timeout, fails it for the callee', async () => {
    const { log } = setup((inv) => inv.accept());
    const raw = await RawParty.login(server.url, 'inv-raw-leaver');
    await raw.request({ t: 'inv.send', id: 'leave-1', to: 'inv-bob', ch: '', c: '' });
    await raw.waitPushes(2);
    assert.deepEqual(raw.pushes(), [
      { t: 'linv', id: 'leave-1', e: 'ReceivedByPeer' },
      { t: 'linv', id: 'leave-1', e: 'Accepted', r: '' },
    ]);
    await raw.request({ t: 'logout' });
    await logOf(log, 2);
    assert.deepEqual(log, [
      'callee Received() INVITATION_RECEIVED',
      'callee Failure(ACCEPT_FAILURE) FAILURE',
    ]);
    raw.close();
    await nothingLeft();
  });
});

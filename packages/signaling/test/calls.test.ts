import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  END_CALL_PREFIX,
  type LocalInvitation,
  type RemoteInvitation,
  type RtmClient,
} from '@parley/sdk';
import { SignalingCode as C, signalUid, type Call, type Session } from '@parley/signaling';
import {
  entries,
  eventually,
  loggedIn,
  ManualClock,
  record,
  type Recorded,
  sessionMarker,
  signal,
  signedIn,
  signOut,
  testServer,
} from '@parley/testkit';
import type { RunningServer } from '../../server/src/index.js';

const CALL_CALLBACKS = [
  'onInviteReceivedByPeer',
  'onInviteAcceptedByPeer',
  'onInviteRefusedByPeer',
  'onInviteFailed',
  'onInviteEndByPeer',
  'onInviteEndByMyself',
  'onInviteMsg',
] as const;

/** Records a session's incoming calls (and every callback of each) into `log`. */
function incoming(session: Session, log: Recorded): Call[] {
  const calls: Call[] = [];
  session.onInviteReceived = (call) => {
    calls.push(call);
    log.push(['onInviteReceived', call.channelName, call.peer, call.extra, call.peeruid]);
    record(call, CALL_CALLBACKS, log);
  };
  record(session, ['onMessageInstantReceive'], log);
  return calls;
}

/** Records an RTM client's incoming invitations and peer messages into `log`. */
function rtmIncoming(client: RtmClient, log: Recorded): RemoteInvitation[] {
  const invs: RemoteInvitation[] = [];
  client.on('RemoteInvitationReceived', (ri) => {
    invs.push(ri);
    log.push(['RemoteInvitationReceived', ri.channelId, ri.callerId, ri.content]);
    ri.on('RemoteInvitationCanceled', (content) => log.push(['RemoteInvitationCanceled', content]));
    ri.on('RemoteInvitationFailure', (why) => log.push(['RemoteInvitationFailure', why]));
  });
  client.on('MessageFromPeer', (m, from) =>
    log.push(['MessageFromPeer', from, (m as { text?: string }).text]),
  );
  return invs;
}

function rtmInvite(
  client: RtmClient,
  callee: string,
  channel: string,
  content: string,
  log: Recorded,
): LocalInvitation {
  const inv = client.createLocalInvitation(callee);
  inv.channelId = channel;
  inv.content = content;
  inv.on('LocalInvitationReceivedByPeer', () => log.push(['LocalInvitationReceivedByPeer']));
  inv.on('LocalInvitationAccepted', (r) => log.push(['LocalInvitationAccepted', r]));
  inv.on('LocalInvitationRefused', (r) => log.push(['LocalInvitationRefused', r]));
  inv.on('LocalInvitationCanceled', () => log.push(['LocalInvitationCanceled']));
  inv.on('LocalInvitationFailure', (why) => log.push(['LocalInvitationFailure', why]));
  inv.send();
  return inv;
}

describe('Signaling call invitations', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer({ invitationPeerOfflineMs: 1500 });
  });
  after(() => server.close());

  test('Signaling → Signaling: ring, accept with extra, hang up with extra (the end-call message)', async () => {
    const a = await signedIn(server, 'cs-a');
    const b = await signedIn(server, 'cs-b');
    const blog: Recorded = [];
    const got = incoming(b, blog);
    const alog: Recorded = [];
    const call = a.channelInviteUser2('cs-room', 'cs-b', '{"destMediaUid":7}');
    assert.deepEqual(
      [call.channelName, call.peer, call.extra],
      ['cs-room', 'cs-b', '{"destMediaUid":7}'],
    );
    record(call, CALL_CALLBACKS, alog);
    await entries(alog, 1, 'received by peer');
    assert.deepEqual(blog, [
      ['onInviteReceived', 'cs-room', 'cs-a', '{"destMediaUid":7}', signalUid('cs-a')],
    ]);
    assert.deepEqual(alog, [['onInviteReceivedByPeer', '']]);
    got[0]!.channelInviteAccept('{"ok":1}');
    await entries(alog, 2, 'accepted');
    assert.deepEqual(alog[1], ['onInviteAcceptedByPeer', '{"ok":1}']);
    call.channelInviteEnd('bye');
    // onInviteEndByMyself fires at once.
    assert.deepEqual(alog[2], ['onInviteEndByMyself', '']);
    await entries(blog, 2, 'end by peer');
    await Promise.all([sessionMarker(a, b), sessionMarker(b, a)]); // nothing more is coming
    assert.deepEqual(blog.slice(1), [['onInviteEndByPeer', 'bye']]);
    assert.equal(alog.length, 3);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('Signaling → Signaling: refuse with extra; the callee may also hang up an accepted call', async () => {
    const a = await signedIn(server, 'cr-a');
    const b = await signedIn(server, 'cr-b');
    const blog: Recorded = [];
    const got = incoming(b, blog);
    const alog: Recorded = [];
    const first = a.channelInviteUser2('cr-1', 'cr-b', '');
    record(first, CALL_CALLBACKS, alog);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteRefuse('busy');
    await entries(alog, 2, 'refused');
    assert.deepEqual(alog, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteRefusedByPeer', 'busy'],
    ]);
    alog.length = 0;
    const second = a.channelInviteUser2('cr-2', 'cr-b');
    record(second, CALL_CALLBACKS, alog);
    await entries(blog, 2, 'ring 2');
    got[1]!.channelInviteAccept();
    await entries(alog, 2, 'accepted');
    got[1]!.channelInviteEnd('callee hangs up');
    await entries(alog, 3, 'end by peer');
    assert.deepEqual(alog, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteAcceptedByPeer', ''],
      ['onInviteEndByPeer', 'callee hangs up'],
    ]);
    assert.deepEqual(blog.slice(2), [['onInviteEndByMyself', '']]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('Signaling caller → RTM callee: channelName → channelId, extra → content; accept and refuse with response', async () => {
    const sig = await signedIn(server, 'sr-sig');
    const rtm = await loggedIn(server, 'sr-rtm');
    const rlog: Recorded = [];
    const invs = rtmIncoming(rtm, rlog);
    const log: Recorded = [];
    const c1 = sig.channelInviteUser2('sr-room', 'sr-rtm', '{"x":1}');
    record(c1, CALL_CALLBACKS, log);
    await entries(rlog, 1, 'rtm ring');
    assert.deepEqual(rlog, [['RemoteInvitationReceived', 'sr-room', 'sr-sig', '{"x":1}']]);
    await entries(log, 1, 'received by peer');
    invs[0]!.response = 'yes';
    invs[0]!.accept();
    await entries(log, 2, 'accepted');
    assert.deepEqual(log, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteAcceptedByPeer', 'yes'],
    ]);
    // Hanging up an accepted call: the RTM app gets the legacy end-call message.
    c1.channelInviteEnd('done');
    await entries(rlog, 2, 'end-call message');
    assert.deepEqual(rlog[1], ['MessageFromPeer', 'sr-sig', `${END_CALL_PREFIX}_sr-room_done`]);
    log.length = 0;
    const c2 = sig.channelInviteUser2('sr-room2', 'sr-rtm', '');
    record(c2, CALL_CALLBACKS, log);
    await entries(rlog, 3, 'rtm ring 2');
    invs[1]!.response = 'no';
    invs[1]!.refuse();
    await entries(log, 2, 'refused');
    assert.deepEqual(log, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteRefusedByPeer', 'no'],
    ]);
    await Promise.all([signOut(sig), rtm.logout()]);
  });

  test('RTM caller → Signaling callee: channelId → channelName, content → extra; accept and refuse → response', async () => {
    const sig = await signedIn(server, 'rs-sig');
    const rtm = await loggedIn(server, 'rs-rtm');
    const slog: Recorded = [];
    const got = incoming(sig, slog);
    const rlog: Recorded = [];
    rtmIncoming(rtm, rlog);
    rtmInvite(rtm, 'rs-sig', 'rs-room', '{"video":true}', rlog);
    await entries(slog, 1, 'ring');
    assert.deepEqual(slog, [
      ['onInviteReceived', 'rs-room', 'rs-rtm', '{"video":true}', signalUid('rs-rtm')],
    ]);
    got[0]!.channelInviteAccept('sure');
    await entries(rlog, 2, 'accepted');
    assert.deepEqual(rlog, [
      ['LocalInvitationReceivedByPeer'],
      ['LocalInvitationAccepted', 'sure'],
    ]);
    // The RTM caller hangs up with the legacy end-call message: onInviteEndByPeer(extra), no peer message.
    await rtm.sendMessageToPeer({ text: `${END_CALL_PREFIX}_rs-room_bye` }, 'rs-sig');
    await entries(slog, 2, 'end by peer');
    // The Signaling callee hangs up a second accepted call: the RTM caller gets the message.
    rlog.length = 0;
    rtmInvite(rtm, 'rs-sig', 'rs-room2', '', rlog);
    await entries(slog, 3, 'ring 2');
    got[1]!.channelInviteAccept();
    await entries(rlog, 2, 'accepted 2');
    got[1]!.channelInviteEnd('later');
    await entries(rlog, 3, 'end-call message');
    assert.deepEqual(rlog[2], ['MessageFromPeer', 'rs-sig', `${END_CALL_PREFIX}_rs-room2_later`]);
    rlog.length = 0;
    rtmInvite(rtm, 'rs-sig', 'rs-room3', 'c3', rlog);
    await entries(slog, 5, 'ring 3');
    got[2]!.channelInviteRefuse('not now');
    await entries(rlog, 2, 'refused');
    assert.deepEqual(rlog, [
      ['LocalInvitationReceivedByPeer'],
      ['LocalInvitationRefused', 'not now'],
    ]);
    await sessionMarker(rtm, sig);
    assert.deepEqual(slog, [
      ['onInviteReceived', 'rs-room', 'rs-rtm', '{"video":true}', signalUid('rs-rtm')],
      ['onInviteEndByPeer', 'bye'],
      ['onInviteReceived', 'rs-room2', 'rs-rtm', '', signalUid('rs-rtm')],
      ['onInviteEndByMyself', ''],
      ['onInviteReceived', 'rs-room3', 'rs-rtm', 'c3', signalUid('rs-rtm')],
    ]);
    await Promise.all([signOut(sig), rtm.logout()]);
  });

  test('cancel both ways: channelInviteEnd(extra) ⇄ RTM cancel (the extra as content)', async () => {
    const sig = await signedIn(server, 'cc-sig');
    const rtm = await loggedIn(server, 'cc-rtm');
    const rlog: Recorded = [];
    rtmIncoming(rtm, rlog);
    const log: Recorded = [];
    const call = sig.channelInviteUser2('cc-room', 'cc-rtm', 'hello');
    record(call, CALL_CALLBACKS, log);
    await entries(log, 1, 'received by peer');
    call.channelInviteEnd('changed my mind');
    assert.deepEqual(log, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteEndByMyself', ''],
    ]);
    await entries(rlog, 2, 'rtm canceled');
    assert.deepEqual(rlog, [
      ['RemoteInvitationReceived', 'cc-room', 'cc-sig', 'hello'],
      ['RemoteInvitationCanceled', 'changed my mind'],
    ]);
    const slog: Recorded = [];
    incoming(sig, slog);
    const inv = rtmInvite(rtm, 'cc-sig', 'cc-room2', 'ring ring', []);
    await entries(slog, 1, 'ring');
    inv.content = 'sorry';
    inv.cancel();
    await entries(slog, 2, 'end by peer');
    await sessionMarker(rtm, sig);
    assert.deepEqual(slog, [
      ['onInviteReceived', 'cc-room2', 'cc-rtm', 'ring ring', signalUid('cc-rtm')],
      ['onInviteEndByPeer', 'sorry'],
    ]);
    assert.equal(log.length, 2);
    await Promise.all([signOut(sig), rtm.logout()]);
  });

  test('the callee ends an unanswered call: a refuse for the caller, onInviteEndByMyself for it', async () => {
    const a = await signedIn(server, 'ce-a');
    const b = await signedIn(server, 'ce-b');
    const blog: Recorded = [];
    const got = incoming(b, blog);
    const alog: Recorded = [];
    record(a.channelInviteUser2('ce-room', 'ce-b', ''), CALL_CALLBACKS, alog);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteEnd('no thanks');
    assert.deepEqual(blog[1], ['onInviteEndByMyself', '']);
    await entries(alog, 2, 'refused');
    assert.deepEqual(alog, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteRefusedByPeer', 'no thanks'],
    ]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('_require_peer_online: 1 fails at once for an offline callee (703); without it the invitation waits, then fails', async () => {
    const a = await signedIn(server, 'po-a');
    const log: Recorded = [];
    const t0 = Date.now();
    record(
      a.channelInviteUser2('po-room', 'po-nobody', '{"_require_peer_online":1}'),
      CALL_CALLBACKS,
      log,
    );
    await entries(log, 1, 'failed');
    assert.deepEqual(log, [['onInviteFailed', 'PEER_OFFLINE', C.INVITE_E_PEEROFFLINE]]);
    log.length = 0;
    record(a.channelInviteUser2('po-room', 'po-nobody', '{}'), CALL_CALLBACKS, log);
    await entries(log, 1, 'failed after the offline wait', 5000);
    assert.deepEqual(log, [['onInviteFailed', 'PEER_OFFLINE', C.INVITE_E_PEEROFFLINE]]);
    assert.ok(Date.now() - t0 >= 1400, 'waited for the callee');
    await signOut(a);
  });

  test('an invitation waiting for an offline callee rings after its onLoginSuccess', async () => {
    const a = await signedIn(server, 'pw-a');
    const alog: Recorded = [];
    record(a.channelInviteUser2('pw-room', 'pw-late', 'x'), CALL_CALLBACKS, alog);
    await eventually(
      async () => (await server.backend.invitations.count()) === 1,
      'the invitation waits on the server',
    );
    const late = signal(server).login('pw-late', '_no_need_token');
    const log: Recorded = [];
    record(late, ['onLoginSuccess'], log);
    incoming(late, log);
    await entries(log, 2, 'login and ring');
    assert.deepEqual(log, [
      ['onLoginSuccess', signalUid('pw-late')],
      ['onInviteReceived', 'pw-room', 'pw-a', 'x', signalUid('pw-a')],
    ]);
    await entries(alog, 1, 'received by peer');
    await Promise.all([signOut(a), signOut(late)]);
  });

  test('_timeout: N withdraws an unanswered invitation after N s of the clock: onInviteFailed("_timeout", 704); the callee stops ringing', async () => {
    const clock = new ManualClock();
    const a = await signedIn(server, 'to-a', { clock });
    const b = await signedIn(server, 'to-b');
    const blog: Recorded = [];
    incoming(b, blog);
    const log: Recorded = [];
    record(a.channelInviteUser2('to-room', 'to-b', '{"_timeout":1}'), CALL_CALLBACKS, log);
    await entries(log, 1, 'received by peer');
    await clock.advance(999);
    assert.deepEqual(log, [['onInviteReceivedByPeer', '']], 'still ringing 1 ms before');
    await clock.advance(1);
    assert.deepEqual(log, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteFailed', '_timeout', C.INVITE_E_TIMEOUT],
    ]);
    await entries(blog, 2, 'callee end');
    assert.deepEqual(blog[1], ['onInviteEndByPeer', '']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('channelInviteDTMF in a call with an account: the peer gets onInviteMsg(extra, "dtmf", tones)', async () => {
    const a = await signedIn(server, 'dt-a');
    const b = await signedIn(server, 'dt-b');
    const blog: Recorded = [];
    const got = incoming(b, blog);
    const alog: Recorded = [];
    const call = a.channelInviteUser2('dt-room', 'dt-b');
    record(call, CALL_CALLBACKS, alog);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteAccept();
    await entries(alog, 2, 'accepted');
    call.channelInviteDTMF('12#');
    await entries(blog, 2, 'dtmf');
    assert.deepEqual(blog[1], ['onInviteMsg', '{"msgtype":"dtmf","msgdata":"12#"}', 'dtmf', '12#']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('a second invitation with the same channel and peer replaces the first', async () => {
    const a = await signedIn(server, 'ri-a');
    const b = await signedIn(server, 'ri-b');
    const blog: Recorded = [];
    incoming(b, blog);
    const first: Recorded = [];
    record(a.channelInviteUser2('ri-room', 'ri-b', 'one'), CALL_CALLBACKS, first);
    await entries(blog, 1, 'ring 1');
    // The first is taken before the second replaces it (a replaced call reports nothing more).
    await entries(first, 1, 'the first received by peer');
    const second: Recorded = [];
    record(a.channelInviteUser2('ri-room', 'ri-b', 'two'), CALL_CALLBACKS, second);
    await entries(blog, 3, 'ring 2');
    assert.deepEqual(
      blog.map((e) => e.slice(0, 4)),
      [
        ['onInviteReceived', 'ri-room', 'ri-a', 'one'],
        ['onInviteEndByPeer', ''],
        ['onInviteReceived', 'ri-room', 'ri-a', 'two'],
      ].map((e) => e.slice(0, 4)),
    );
    await sessionMarker(b, a);
    assert.deepEqual(first, [['onInviteReceivedByPeer', '']]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('C++ session methods: channelInviteUser, channelInviteAccept/Refuse/End(channel, account, uid, extra)', async () => {
    const a = await signedIn(server, 'cx-a');
    const b = await signedIn(server, 'cx-b');
    const blog: Recorded = [];
    incoming(b, blog);
    const alog: Recorded = [];
    const call = a.channelInviteUser('cx-room', 'cx-b', 0);
    assert.equal(call.extra, '');
    record(call, CALL_CALLBACKS, alog);
    await entries(blog, 1, 'ring');
    b.channelInviteAccept('cx-room', 'cx-a', 0, 'fine');
    await entries(alog, 2, 'accepted');
    a.channelInviteEnd('cx-room', 'cx-b', 0);
    await entries(blog, 2, 'end');
    assert.deepEqual(alog, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteAcceptedByPeer', 'fine'],
      ['onInviteEndByMyself', ''],
    ]);
    assert.deepEqual(blog[1], ['onInviteEndByPeer', '']);
    const refused: Recorded = [];
    record(a.channelInviteUser('cx-room2', 'cx-b'), CALL_CALLBACKS, refused);
    await entries(blog, 3, 'ring 2');
    b.channelInviteRefuse('cx-room2', 'cx-a', 0, 'nope');
    await entries(refused, 2, 'refused');
    assert.deepEqual(refused[1], ['onInviteRefusedByPeer', 'nope']);
    // No such call: onError.
    const errors = record(b, ['onError']);
    b.channelInviteAccept('cx-none', 'cx-a', 0, '');
    assert.deepEqual(errors, [
      [
        'onError',
        'channelInviteAccept',
        C.GENERAL_E_WRONG_PARAM,
        'channelInviteAccept: no call with "cx-a" about "cx-none"',
      ],
    ]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('an invitation when not logged in fails: onInviteFailed("NOT_LOGGEDIN", 1003)', async () => {
    const a = await signedIn(server, 'nl-a');
    await signOut(a);
    const log: Recorded = [];
    record(a.channelInviteUser2('nl-room', 'nl-b'), CALL_CALLBACKS, log);
    await entries(log, 1, 'failed');
    assert.deepEqual(log, [['onInviteFailed', 'NOT_LOGGEDIN', C.GENERAL_E_NOT_LOGIN]]);
  });

  test('an RTM caller that logs out: the ringing Signaling callee hears onInviteFailed', async () => {
    const sig = await signedIn(server, 'lf-sig');
    const rtm = await loggedIn(server, 'lf-rtm');
    const slog: Recorded = [];
    incoming(sig, slog);
    rtmInvite(rtm, 'lf-sig', 'lf-room', '', []);
    await entries(slog, 1, 'ring');
    await rtm.logout();
    await entries(slog, 2, 'failure');
    assert.deepEqual(slog[1], ['onInviteFailed', 'PEER_OFFLINE', C.INVITE_E_PEEROFFLINE]);
    await signOut(sig);
  });
});

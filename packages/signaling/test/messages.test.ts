import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignalingCode as C, signalUid } from '@parley/signaling';
import type { RunningServer } from '../../server/src/index.js';
import {
  entries,
  loggedIn,
  record,
  sessionMarker,
  signal,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';

describe('Signaling peer messages', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('messageInstantSend: cb(false, 0) and onMessageSendSuccess; the peer gets onMessageInstantReceive(account, uid, msg)', async () => {
    const a = await signedIn(server, 'pm-a');
    const b = await signedIn(server, 'pm-b');
    const alog = record(a, ['onMessageSendSuccess', 'onMessageSendError']);
    const blog = record(b, ['onMessageInstantReceive']);
    const cbs: unknown[][] = [];
    a.messageInstantSend('pm-b', 'hello', (...r) => cbs.push(r));
    a.messageInstantSend('pm-b', { json: true }, (...r) => cbs.push(r));
    await entries(blog, 2, 'received');
    await until(() => cbs.length === 2 && alog.length === 2, 'results');
    assert.deepEqual(blog, [
      ['onMessageInstantReceive', 'pm-a', signalUid('pm-a'), 'hello'],
      ['onMessageInstantReceive', 'pm-a', signalUid('pm-a'), '{"json":true}'],
    ]);
    assert.deepEqual(cbs, [
      [false, 0],
      [false, 0],
    ]);
    assert.deepEqual(
      alog.map((e) => e[0]),
      ['onMessageSendSuccess', 'onMessageSendSuccess'],
    );
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('the C++ form (account, uid, msg, msgID) reports that msgID', async () => {
    const a = await signedIn(server, 'pc-a');
    const b = await signedIn(server, 'pc-b');
    const alog = record(a, ['onMessageSendSuccess', 'onMessageSendError']);
    const blog = record(b, ['onMessageInstantReceive']);
    a.messageInstantSend('pc-b', 0, 'cxx', 'msg-1');
    await entries(alog, 1, 'result');
    await entries(blog, 1, 'received');
    assert.deepEqual(alog, [['onMessageSendSuccess', 'msg-1']]);
    assert.deepEqual(blog, [['onMessageInstantReceive', 'pc-a', signalUid('pc-a'), 'cxx']]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('a message to an offline account succeeds (the server has it) and arrives at its next login', async () => {
    const a = await signedIn(server, 'po-a');
    const cbs: unknown[][] = [];
    a.messageInstantSend('po-later', 'while you were out', (...r) => cbs.push(r));
    await until(() => cbs.length === 1, 'cb');
    assert.deepEqual(cbs, [[false, 0]]);
    const later = signal(server).login('po-later', '_no_need_token');
    const log = record(later, ['onLoginSuccess', 'onMessageInstantReceive']);
    await entries(log, 2, 'login and message');
    assert.deepEqual(log, [
      ['onLoginSuccess', signalUid('po-later')],
      ['onMessageInstantReceive', 'po-a', signalUid('po-a'), 'while you were out'],
    ]);
    await Promise.all([signOut(a), signOut(later)]);
  });

  test('a bad peer or not being logged in fails: cb(true, 400) and onMessageSendError(msgID, 400)', async () => {
    const a = await signedIn(server, 'pf-a');
    const log = record(a, ['onMessageSendSuccess', 'onMessageSendError']);
    const cbs: unknown[][] = [];
    a.messageInstantSend('bad peer\n', 'x', (...r) => cbs.push(r));
    await until(() => cbs.length === 1 && log.length === 1, 'failure');
    assert.deepEqual(cbs, [[true, C.SENDMESSAGE_E_OTHER]]);
    assert.deepEqual([log[0]![0], log[0]![2]], ['onMessageSendError', C.SENDMESSAGE_E_OTHER]);
    await signOut(a);
    a.messageInstantSend('pf-b', 0, 'x', 'after-logout');
    await entries(log, 2, 'failure after logout');
    assert.deepEqual(log[1], ['onMessageSendError', 'after-logout', C.SENDMESSAGE_E_OTHER]);
  });

  test('interop: RTM and Signaling exchange peer messages both ways; RTM raw messages do not reach Signaling', async () => {
    const sig = await signedIn(server, 'pi-sig');
    const rtm = await loggedIn(server, 'pi-rtm');
    const rtmGot: string[] = [];
    rtm.on('MessageFromPeer', (m, from) =>
      rtmGot.push(`${from}:${(m as { text?: string }).text ?? '?'}`),
    );
    const log = record(sig, ['onMessageInstantReceive']);
    sig.messageInstantSend('pi-rtm', 'from signaling');
    await until(() => rtmGot.length === 1, 'rtm received');
    assert.deepEqual(rtmGot, ['pi-sig:from signaling']);
    const r = await rtm.sendMessageToPeer({ text: 'from rtm' }, 'pi-sig');
    assert.deepEqual(r, { hasPeerReceived: true });
    await rtm.sendMessageToPeer(
      { rawMessage: new Uint8Array([1, 2]), description: 'file' },
      'pi-sig',
    );
    await rtm.sendMessageToPeer({ text: 'after raw' }, 'pi-sig');
    await entries(log, 2, 'signaling received');
    await sessionMarker(rtm, sig); // the raw message would have come before it
    assert.deepEqual(log, [
      ['onMessageInstantReceive', 'pi-rtm', signalUid('pi-rtm'), 'from rtm'],
      ['onMessageInstantReceive', 'pi-rtm', signalUid('pi-rtm'), 'after raw'],
    ]);
    await Promise.all([signOut(sig), rtm.logout()]);
  });
});

/** LocalInvitation checks that need no server: each misuse throws synchronously with its code. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorName, InvitationApiCallError as E } from '@parley/protocol';
import { nextTurn } from '@parley/testkit';
import AgoraRTM, { type LocalInvitation, type RtmError } from '../src/node.js';

function throwsWith(fn: () => void, code: number, message: RegExp): void {
  assert.throws(fn, (e: RtmError) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, errorName('invitation', code));
    assert.match(e.message, message);
    return true;
  });
}

/** An invitation of a client that never logs in (nothing here reaches a server). */
function invitation(calleeId = 'bob'): LocalInvitation {
  const client = AgoraRTM.createInstance('app', { serverUrl: 'ws://127.0.0.1:9' });
  return client.createLocalInvitation(calleeId);
}

function failure(inv: LocalInvitation): Promise<string> {
  return new Promise((resolve) => inv.on('LocalInvitationFailure', (why) => resolve(why)));
}

describe('LocalInvitation misuse', () => {
  test('a new invitation: IDLE, with empty content, channelId and response', () => {
    const inv = invitation();
    assert.deepEqual(
      [inv.state, inv.calleeId, inv.content, inv.channelId, inv.response],
      ['IDLE', 'bob', '', '', ''],
    );
  });

  test('cancel before send: NOT_STARTED', () => {
    const inv = invitation();
    throwsWith(() => inv.cancel(), E.NOT_STARTED, /not sent yet/);
    assert.equal(inv.state, 'IDLE');
  });

  test('content over 8 KB in UTF-8: INVALID_ARGUMENT at send and at cancel; 8 KB exactly is fine', () => {
    const inv = invitation();
    inv.content = 'é'.repeat(4097); // 8,194 bytes
    throwsWith(() => inv.send(), E.INVALID_ARGUMENT, /content: 8194 bytes; the limit is 8192/);
    assert.equal(inv.state, 'IDLE', 'nothing was sent');
    inv.content = 'é'.repeat(4096);
    inv.send();
    inv.content = 'x'.repeat(8193);
    throwsWith(() => inv.cancel(), E.INVALID_ARGUMENT, /content: 8193 bytes/);
    assert.equal(inv.state, 'SENT_TO_REMOTE');
  });

  test('a bad callee id: INVALID_ARGUMENT at createLocalInvitation; a bad channel id at send', () => {
    for (const bad of ['', 'null', 'a/b', 'x'.repeat(65), 42 as unknown as string])
      throwsWith(() => invitation(bad), E.INVALID_ARGUMENT, /calleeId: must be/);
    const inv = invitation();
    inv.channelId = 'no/slash';
    throwsWith(() => inv.send(), E.INVALID_ARGUMENT, /channelId: must be empty or/);
  });

  test('send twice: ALREADY_SENT; not logged in: NOT_LOGGEDIN, then send and cancel are ALREADY_END', async () => {
    const inv = invitation();
    const failed = failure(inv);
    inv.send();
    assert.equal(inv.state, 'SENT_TO_REMOTE');
    throwsWith(() => inv.send(), E.ALREADY_SENT, /sent already/);
    assert.equal(await failed, 'NOT_LOGGEDIN');
    assert.equal(inv.state, 'FAILURE');
    throwsWith(() => inv.send(), E.ALREADY_END, /ended \(FAILURE\)/);
    throwsWith(() => inv.cancel(), E.ALREADY_END, /ended \(FAILURE\)/);
  });

  test('channelId is settable only while IDLE; content stays settable; response never', () => {
    const inv = invitation();
    inv.channelId = 'room';
    inv.send();
    inv.channelId = 'other';
    assert.equal(inv.channelId, 'room');
    inv.content = 'later';
    assert.equal(inv.content, 'later');
    throwsWith(
      () => ((inv as unknown as { response: string }).response = 'x'),
      E.INVALID_ARGUMENT,
      /callee sets the response/,
    );
  });

  test('canceled while the send is failing: Canceled once, the failure is ignored', async () => {
    const inv = invitation();
    const events: string[] = [];
    inv.on('LocalInvitationCanceled', () => events.push('Canceled'));
    inv.on('LocalInvitationFailure', (why) => events.push(`Failure(${why})`));
    inv.send();
    inv.cancel();
    await nextTurn(); // the send fails on a promise chain: settled by the next turn
    assert.deepEqual(events, ['Canceled']);
    assert.equal(inv.state, 'CANCELED');
  });
});

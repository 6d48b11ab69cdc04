import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorName, InvitationApiCallError as E } from '@parley/protocol';
import type { LocalInvitation, RemoteInvitation, RtmClient, RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  loggedIn,
  logOf,
  peerMarkers,
  RawParty,
  receiver,
  recordLocal,
  testServer,
} from '@parley/testkit';

/** Asserts `fn` throws synchronously with `code` and the web SDK's class for it. */
function throwsWith(fn: () => void, code: number, message: RegExp): void {
  assert.throws(fn, (e: RtmError) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, errorName('invitation', code));
    assert.match(e.message, message);
    return true;
  });
}

describe('invitation misuse throws synchronously; the server checks every field too', () => {
  let server: RunningServer;
  let alice: RtmClient;
  let bob: RtmClient;
  let log: string[];
  let got: RemoteInvitation[];
  before(async () => {
    server = await testServer();
    [alice, bob] = await Promise.all([loggedIn(server, 'mis-alice'), loggedIn(server, 'mis-bob')]);
  });
  after(async () => {
    await Promise.all([alice.logout(), bob.logout()]);
    await server.close();
  });

  /** Rings bob; resolves once he has it. */
  async function ring(): Promise<{ call: LocalInvitation; inv: RemoteInvitation }> {
    bob.removeAllListeners('RemoteInvitationReceived');
    log = [];
    got = receiver(bob, log);
    const call = alice.createLocalInvitation('mis-bob');
    recordLocal(call, log);
    call.send();
    await logOf(log, 2);
    return { call, inv: got[0]! };
  }

  test('accept twice: ALREADY_ACCEPT; refuse while accepting: ALREADY_ACCEPT; after the end: ALREADY_END', async () => {
    const { call, inv } = await ring();
    inv.accept();
    throwsWith(() => inv.accept(), E.ALREADY_ACCEPT, /accepted already/);
    throwsWith(() => inv.refuse(), E.ALREADY_ACCEPT, /accepted already/);
    await logOf(log, 4);
    assert.equal(inv.state, 'ACCEPTED');
    throwsWith(() => inv.accept(), E.ALREADY_END, /ended \(ACCEPTED\)/);
    throwsWith(() => inv.refuse(), E.ALREADY_END, /ended/);
    throwsWith(() => call.cancel(), E.ALREADY_END, /ended \(ACCEPTED_BY_REMOTE\)/);
    throwsWith(() => call.send(), E.ALREADY_END, /ended/);
  });

  test('refuse then accept: ALREADY_END; a canceled invitation cannot be answered', async () => {
    const first = await ring();
    first.inv.refuse();
    throwsWith(() => first.inv.accept(), E.ALREADY_END, /ended \(REFUSED\)/);
    throwsWith(() => first.inv.refuse(), E.ALREADY_END, /ended/);
    await logOf(log, 4);
    const second = await ring();
    second.call.cancel();
    await logOf(log, 4);
    throwsWith(() => second.inv.accept(), E.ALREADY_END, /ended \(CANCELED\)/);
    throwsWith(() => second.call.cancel(), E.ALREADY_END, /ended \(CANCELED\)/);
  });

  test('a response over 8 KB (UTF-8): INVALID_ARGUMENT, and the invitation stays as it was', async () => {
    const { call, inv } = await ring();
    inv.response = '€'.repeat(2731); // 8,193 bytes
    throwsWith(() => inv.accept(), E.INVALID_ARGUMENT, /response: 8193 bytes; the limit is 8192/);
    throwsWith(() => inv.refuse(), E.INVALID_ARGUMENT, /response: 8193 bytes/);
    assert.equal(inv.state, 'INVITATION_RECEIVED');
    inv.response = '€'.repeat(2730);
    inv.refuse();
    await logOf(log, 4);
    assert.equal(call.response, '€'.repeat(2730));
  });

  test('a received invitation: callerId, content and channelId are the caller’s to set', async () => {
    const { inv, call } = await ring();
    const mutable = inv as unknown as { content: string; channelId: string };
    throwsWith(() => (mutable.content = 'x'), E.INVALID_ARGUMENT, /caller sets the content/);
    throwsWith(() => (mutable.channelId = 'x'), E.INVALID_ARGUMENT, /caller sets the channel/);
    const local = call as unknown as { response: string };
    throwsWith(() => (local.response = 'x'), E.INVALID_ARGUMENT, /callee sets the response/);
    assert.equal(call.channelId, '');
    call.channelId = 'too-late';
    assert.equal(
      call.channelId,
      '',
      'channelId is settable only while IDLE (ignored after, as on the web)',
    );
    call.cancel();
    await logOf(log, 4);
  });

  test('the server rejects bad fields of raw frames with INVALID_ARGUMENT, naming the field and the limit', async () => {
    const raw = await RawParty.login(server.url, 'mis-raw');
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { t: 'inv.send', id: 'a', to: 'mis-bob', c: 'x'.repeat(8193) },
        /content: 8193 bytes; the limit is 8192/,
      ],
      [{ t: 'inv.send', id: 'a', to: 'mis-bob', c: '€'.repeat(2731) }, /content: 8193 bytes/],
      [{ t: 'inv.send', id: 'a', to: 'null' }, /calleeId: must be 1-64 characters/],
      [{ t: 'inv.send', id: 'a', to: 'x'.repeat(65) }, /calleeId/],
      [{ t: 'inv.send', id: 'a/b', to: 'mis-bob' }, /invitationId: must be/],
      [{ t: 'inv.send', id: 'a', to: 'mis-bob', ch: 'bad/channel' }, /channelId: must be empty or/],
      [{ t: 'inv.send', id: 'a', to: 'mis-bob', c: 42 }, /content: must be a string/],
      [{ t: 'inv.cancel', id: 'a', c: 'x'.repeat(8193) }, /content: 8193 bytes/],
      [{ t: 'inv.accept', f: 'mis-alice', id: 'a', r: 'x'.repeat(8193) }, /response: 8193 bytes/],
      [{ t: 'inv.refuse', f: '', id: 'a' }, /callerId: must be/],
      [{ t: 'inv.ack', f: 'mis-alice' }, /invitationId: must be/],
    ];
    for (const [frame, message] of cases) {
      const reply = await raw.request(frame);
      assert.equal(reply.t, 'err', JSON.stringify(frame).slice(0, 80));
      assert.equal(reply.c, E.INVALID_ARGUMENT);
      assert.match(String(reply.m), message);
    }
    assert.equal(raw.raw.closed, undefined, 'the socket stays open');
    assert.equal(await server.backend.invitations.count(), 0, 'nothing was created');
    raw.close();
  });

  test('nobody but the callee can answer; unknown invitations are ALREADY_END; the real one is unaffected', async () => {
    const { call } = await ring();
    const raw = await RawParty.login(server.url, 'mis-intruder');
    const id = call.callId;
    for (const t of ['inv.accept', 'inv.refuse', 'inv.ack', 'inv.endcall']) {
      const reply = await raw.request({ t, f: 'mis-alice', id });
      assert.deepEqual([reply.t, reply.c], ['err', E.ALREADY_END], t);
    }
    for (const t of ['inv.cancel', 'inv.confirm']) {
      const reply = await raw.request({ t, id });
      assert.deepEqual([reply.t, reply.c], ['err', E.ALREADY_END], `${t} of someone else's id`);
    }
    await peerMarkers(alice, 'mis-alice', bob, 'mis-bob');
    assert.equal(log.length, 2, 'no event on either side');
    got[0]!.refuse();
    await logOf(log, 4);
    assert.equal(call.state, 'REFUSED_BY_REMOTE');
    raw.close();
    assert.equal(await server.backend.invitations.count(), 0);
  });
});

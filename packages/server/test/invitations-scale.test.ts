import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocalInvitation, RemoteInvitation, RtmClient } from '@parley/sdk';
import {
  loggedIn,
  peerMarkers,
  recordLocal,
  recordRemote,
  testServer,
  until,
} from '@parley/testkit';

const PAIRS = 1000;
type Ending = 'accept' | 'refuse' | 'cancel';
const ENDINGS: readonly Ending[] = ['accept', 'refuse', 'cancel'];

test('1,000 concurrent invitations between 2,000 users all reach their expected end states; the server keeps nothing', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const clients: RtmClient[] = [];
  t.after(() => Promise.all(clients.map((c) => c.logout().catch(() => undefined))));
  for (let k = 0; k < 2 * PAIRS; k += 100)
    clients.push(
      ...(await Promise.all(
        Array.from({ length: 100 }, (_, j) => loggedIn(server, `sc-${k + j}`)),
      )),
    );

  const callerLogs = Array.from({ length: PAIRS }, () => [] as string[]);
  const calleeLogs = Array.from({ length: PAIRS }, () => [] as string[]);
  const received: (RemoteInvitation | undefined)[] = [];
  const calls: LocalInvitation[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const ending = ENDINGS[k % 3]!;
    const callee = clients[2 * k + 1]!;
    callee.on('RemoteInvitationReceived', (inv) => {
      received[k] = inv;
      calleeLogs[k]!.push(`callee Received(${inv.content}) ${inv.state}`);
      recordRemote(inv, calleeLogs[k]!);
      inv.response = `${ending}-${k}`;
      if (ending === 'accept') inv.accept();
      if (ending === 'refuse') inv.refuse();
    });
    const call = clients[2 * k]!.createLocalInvitation(`sc-${2 * k + 1}`);
    call.content = `call-${k}`;
    call.channelId = `room-${k}`;
    recordLocal(call, callerLogs[k]!);
    if (ending === 'cancel') call.on('LocalInvitationReceivedByPeer', () => call.cancel());
    calls.push(call);
  }
  for (const call of calls) call.send();

  await until(
    () => callerLogs.every((l) => l.length === 2) && calleeLogs.every((l) => l.length === 2),
    'every invitation ended on both sides',
    60_000,
  );
  // And nothing more arrives: markers both ways between each pair, a later event would be first.
  await Promise.all(
    Array.from({ length: PAIRS }, (_, k) =>
      peerMarkers(clients[2 * k]!, `sc-${2 * k}`, clients[2 * k + 1]!, `sc-${2 * k + 1}`),
    ),
  );
  for (let k = 0; k < PAIRS; k++) {
    const r = `${ENDINGS[k % 3]}-${k}`;
    const [caller, callee] = {
      accept: [[`caller Accepted(${r}) ACCEPTED_BY_REMOTE`], ['callee Accepted ACCEPTED']],
      refuse: [[`caller Refused(${r}) REFUSED_BY_REMOTE`], ['callee Refused REFUSED']],
      cancel: [['caller Canceled CANCELED'], [`callee Canceled(call-${k}) CANCELED`]],
    }[ENDINGS[k % 3]!];
    assert.deepEqual(
      callerLogs[k],
      ['caller ReceivedByPeer RECEIVED_BY_REMOTE', ...caller!],
      `pair ${k}`,
    );
    assert.deepEqual(
      calleeLogs[k],
      [`callee Received(call-${k}) INVITATION_RECEIVED`, ...callee!],
      `pair ${k}`,
    );
    assert.equal(received[k]!.callerId, `sc-${2 * k}`);
    assert.equal(received[k]!.channelId, `room-${k}`);
  }
  assert.equal(await server.backend.invitations.count(), 0, 'the server holds no invitation');
  assert.equal(await server.backend.invitations.nextDeadline(), undefined, 'nothing to time');
});

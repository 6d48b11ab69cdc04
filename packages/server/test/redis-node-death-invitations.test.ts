/**
 * Two nodes on Redis; the node of one side of a call invitation dies and that side lands on the
 * other node with a fresh session. The invitation follows the user: a push that found the node
 * dead waits in the user's park, the new session takes over what the old one sent or received,
 * and its SDK keeps those live. Each call still ends accepted on both sides.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocalInvitation, RemoteInvitation, RtmClient } from '@parley/sdk';
import { logOf, receiver, recordLocal, until, type NodeProcess } from '@parley/testkit';
import { nodeDeath } from './node-death-setup.js';

const ACCEPTED = [
  'callee Received(ring) INVITATION_RECEIVED',
  'caller Accepted(yes) ACCEPTED_BY_REMOTE',
  'callee Accepted ACCEPTED',
];

type How = 'SIGKILL' | 'SIGTERM';

function die(doomed: NodeProcess, how: How): Promise<unknown> {
  return how === 'SIGKILL' ? doomed.kill() : doomed.stop();
}

/** Sends a call with content 'ring' from `caller` to `callee`, its events into `log`. */
function call(caller: RtmClient, callee: string, log: string[]): LocalInvitation {
  const inv = caller.createLocalInvitation(callee);
  inv.content = 'ring';
  recordLocal(inv, log);
  inv.send();
  return inv;
}

function accept(inv: RemoteInvitation): void {
  inv.response = 'yes';
  inv.accept();
}

/** Waits for the call to end accepted on both sides (ReceivedByPeer may be lost in the death). */
async function acceptedBoth(log: string[], states: string[]): Promise<void> {
  await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'the landing', 15_000);
  const outcome = () => log.filter((e) => !e.includes('ReceivedByPeer'));
  await until(() => outcome().length >= 3, `the call accepted: ${log.join(', ')}`, 15_000);
  assert.deepEqual(outcome(), ACCEPTED);
}

for (const how of ['SIGKILL', 'SIGTERM'] as const) {
  test(`${how}: an invitation sent to a user whose node just died reaches it on the other node`, async (t) => {
    const d = await nodeDeath(t, { sender: 'ni-caller1', mover: 'ni-callee1' });
    const log: string[] = [];
    receiver(d.mover, log, accept);
    await die(d.doomed, how);
    call(d.sender, 'ni-callee1', log);
    await acceptedBoth(log, d.states);
    await Promise.all([d.sender.logout(), d.mover.logout()]);
  });

  test(`${how}: an invitation the callee got just before its node died stays live on the other node, and its accept completes`, async (t) => {
    const d = await nodeDeath(t, { sender: 'ni-caller2', mover: 'ni-callee2' });
    const log: string[] = [];
    let dying: Promise<unknown> | undefined;
    const got = receiver(d.mover, log, () => (dying = die(d.doomed, how)));
    call(d.sender, 'ni-callee2', log);
    await until(() => dying !== undefined, 'the invitation at the callee');
    await dying;
    await until(() => d.states.includes('CONNECTED/LOGIN_SUCCESS'), 'the landing', 15_000);
    assert.equal(got[0]!.state, 'INVITATION_RECEIVED', `live after the landing: ${log.join(', ')}`);
    accept(got[0]!);
    await acceptedBoth(log, d.states);
    assert.equal(got.length, 1, 'received once');
    await Promise.all([d.sender.logout(), d.mover.logout()]);
  });

  for (const when of ['at once', 'once the caller landed'] as const)
    test(`${how}: the callee accepts ${when} after the caller's node died: the answer reaches the caller on the other node`, async (t) => {
      const uids = { sender: `ni-callee3${when.length}`, mover: `ni-caller3${when.length}` };
      const d = await nodeDeath(t, uids);
      const log: string[] = [];
      const got = receiver(d.sender, log);
      const sent = call(d.mover, uids.sender, log);
      await logOf(log, 2, 10_000); // received, and the caller heard so
      await die(d.doomed, how);
      if (when === 'once the caller landed')
        await until(() => d.states.includes('CONNECTED/LOGIN_SUCCESS'), 'the landing', 15_000);
      accept(got[0]!);
      await acceptedBoth(log, d.states);
      assert.equal(sent.state, 'ACCEPTED_BY_REMOTE');
      await Promise.all([d.sender.logout(), d.mover.logout()]);
    });
}

/**
 * Conformance suite of InvitationStore implementations; every backend runs it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_PHASES,
  type InvitationStore,
  type StoredInvitation,
} from '../src/backend/invitation-store.js';

export type InvitationStoreFactory = () => Promise<InvitationStore> | InvitationStore;

function invitation(over: Partial<StoredInvitation> = {}): StoredInvitation {
  return {
    app: 'app',
    id: 'i1',
    caller: 'alice',
    callee: 'bob',
    callerSid: 's-alice',
    calleeSid: '',
    channelId: 'room',
    content: 'hi',
    response: '',
    phase: 'offline',
    deadline: 1000,
    ...over,
  };
}

export function runInvitationStoreConformance(name: string, factory: InvitationStoreFactory): void {
  describe(`invitation store conformance: ${name}`, () => {
    test('create refuses an existing (app, caller, id); other apps and callers are apart', async () => {
      const s = await factory();
      assert.equal(await s.create(invitation()), true);
      assert.equal(await s.create(invitation({ content: 'again' })), false);
      assert.equal(await s.create(invitation({ app: 'other' })), true);
      assert.equal(await s.create(invitation({ caller: 'carol' })), true);
      assert.equal((await s.get('app', 'alice', 'i1'))?.content, 'hi', 'unchanged by the refusal');
      assert.equal(await s.get('app', 'alice', 'nope'), undefined);
      assert.equal(await s.count(), 3);
    });

    test('update applies the patch only when the condition holds, and answers the result', async () => {
      const s = await factory();
      await s.create(invitation());
      const patch = { phase: 'ringing', deadline: 2000 } as const;
      assert.equal(
        await s.update('app', 'alice', 'i1', { phases: ['received'] }, patch),
        undefined,
      );
      assert.equal(
        await s.update('app', 'alice', 'i1', { phases: ['offline'], callee: 'eve' }, patch),
        undefined,
      );
      assert.deepEqual(
        await s.update('app', 'alice', 'i1', { phases: ['offline'], callee: 'bob' }, patch),
        invitation({ phase: 'ringing', deadline: 2000 }),
      );
      assert.deepEqual(
        await s.update(
          'app',
          'alice',
          'i1',
          { phases: ['ringing'] },
          { response: 'yes', calleeSid: 's-bob' },
        ),
        invitation({ phase: 'ringing', deadline: 2000, response: 'yes', calleeSid: 's-bob' }),
      );
      assert.equal(
        await s.update('app', 'alice', 'nope', { phases: ALL_PHASES }, patch),
        undefined,
      );
    });

    test('remove takes the invitation once, only when the condition holds (phase, callee, due)', async () => {
      const s = await factory();
      await s.create(invitation({ deadline: 500 }));
      assert.equal(await s.remove('app', 'alice', 'i1', { phases: ['accepting'] }), undefined);
      assert.equal(
        await s.remove('app', 'alice', 'i1', { phases: ALL_PHASES, callee: 'eve' }),
        undefined,
      );
      assert.equal(
        await s.remove('app', 'alice', 'i1', { phases: ALL_PHASES, dueBy: 499 }),
        undefined,
      );
      assert.deepEqual(
        await s.remove('app', 'alice', 'i1', { phases: ['offline'], dueBy: 500 }),
        invitation({ deadline: 500 }),
      );
      assert.equal(await s.remove('app', 'alice', 'i1', { phases: ALL_PHASES }), undefined);
      assert.equal(await s.count(), 0);
      assert.deepEqual(await s.ofUser('app', 'alice'), []);
      assert.deepEqual(await s.ofUser('app', 'bob'), []);
    });

    test('remove of an invitation made again for another callee takes the new one from both users', async () => {
      const s = await factory();
      await s.create(invitation());
      await s.remove('app', 'alice', 'i1', { phases: ALL_PHASES });
      await s.create(invitation({ callee: 'carol' }));
      assert.deepEqual(
        (await s.ofUser('app', 'carol')).map((i) => i.callee),
        ['carol'],
      );
      assert.deepEqual(
        await s.remove('app', 'alice', 'i1', { phases: ALL_PHASES }),
        invitation({ callee: 'carol' }),
      );
      for (const uid of ['alice', 'bob', 'carol']) assert.deepEqual(await s.ofUser('app', uid), []);
      assert.equal(await s.count(), 0);
    });

    test('due answers what passed its deadline, earliest first, up to the limit; nextDeadline the earliest', async () => {
      const s = await factory();
      assert.equal(await s.nextDeadline(), undefined);
      assert.deepEqual(await s.due(10_000, 10), []);
      await s.create(invitation({ id: 'late', deadline: 3000 }));
      await s.create(invitation({ id: 'first', deadline: 1000 }));
      await s.create(invitation({ id: 'second', deadline: 2000 }));
      assert.equal(await s.nextDeadline(), 1000);
      assert.deepEqual(
        (await s.due(2000, 10)).map((i) => i.id),
        ['first', 'second'],
      );
      assert.deepEqual(
        (await s.due(5000, 1)).map((i) => i.id),
        ['first'],
      );
      await s.update('app', 'alice', 'first', { phases: ALL_PHASES }, { deadline: 4000 });
      assert.equal(await s.nextDeadline(), 2000);
    });

    test('ofUser lists what a user sends or receives, oldest first, per app', async () => {
      const s = await factory();
      await s.create(invitation({ id: 'a' }));
      await s.create(invitation({ id: 'b', caller: 'bob', callee: 'carol' }));
      await s.create(invitation({ id: 'c', app: 'other' }));
      assert.deepEqual(
        (await s.ofUser('app', 'bob')).map((i) => i.id),
        ['a', 'b'],
      );
      assert.deepEqual(
        (await s.ofUser('app', 'alice')).map((i) => i.id),
        ['a'],
      );
      assert.deepEqual(
        (await s.ofUser('other', 'bob')).map((i) => i.id),
        ['c'],
      );
      assert.deepEqual(await s.ofUser('app', 'nobody'), []);
    });

    test('answers are copies: changing one changes nothing stored', async () => {
      const s = await factory();
      const inv = invitation();
      await s.create(inv);
      inv.content = 'changed';
      const got = (await s.get('app', 'alice', 'i1'))!;
      got.phase = 'accepting';
      (await s.ofUser('app', 'alice'))[0]!.response = 'x';
      (await s.due(5000, 10))[0]!.deadline = 0;
      assert.deepEqual(await s.get('app', 'alice', 'i1'), invitation());
    });
  });
}

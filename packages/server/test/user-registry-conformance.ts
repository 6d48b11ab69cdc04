/**
 * Conformance suite of UserRegistry implementations (who holds each user, and presence); every
 * backend runs it unchanged. `factory()` opens an empty registry.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UserRegistry } from '../src/backend/user-registry.js';

export type UserRegistryFactory = () => Promise<UserRegistry> | UserRegistry;

export function runUserRegistryConformance(name: string, factory: UserRegistryFactory): void {
  describe(`user registry conformance: ${name}`, () => {
    test('claimUser answers the session it replaced; releaseUser only ends the holder', async () => {
      const users = await factory();
      assert.equal(await users.claimUser('app', 'u1', { sid: 's1', node: 'n1' }), undefined);
      assert.deepEqual(await users.claimUser('app', 'u1', { sid: 's2', node: 'n2' }), {
        sid: 's1',
        node: 'n1',
      });
      assert.equal(await users.claimUser('app', 'u1', { sid: 's2', node: 'n2' }), undefined);
      assert.equal(await users.releaseUser('app', 'u1', { sid: 's1', node: 'n1' }), false);
      assert.equal(await users.releaseUser('app', 'u1', { sid: 's2', node: 'n1' }), false);
      assert.deepEqual(await users.getPresence('app', ['u1']), ['ONLINE']);
      assert.equal(await users.releaseUser('app', 'u1', { sid: 's2', node: 'n2' }), true);
      assert.deepEqual(await users.getPresence('app', ['u1']), ['OFFLINE']);
      assert.equal(await users.releaseUser('app', 'u1', { sid: 's2', node: 'n2' }), false, 'once');
    });

    test('locateUser finds the holder and its node; moveUser moves only the holding session', async () => {
      const users = await factory();
      assert.equal(await users.locateUser('app', 'u1'), undefined);
      await users.claimUser('app', 'u1', { sid: 's1', node: 'n1' });
      assert.deepEqual(await users.locateUser('app', 'u1'), { sid: 's1', node: 'n1' });
      assert.equal(await users.locateUser('other-app', 'u1'), undefined);
      assert.equal(await users.moveUser('app', 'u1', { sid: 'old', node: 'n1' }, 'n3'), false);
      assert.equal(await users.moveUser('app', 'u1', { sid: 's1', node: 'n9' }, 'n3'), false);
      assert.deepEqual(await users.locateUser('app', 'u1'), { sid: 's1', node: 'n1' });
      assert.equal(await users.moveUser('app', 'u1', { sid: 's1', node: 'n1' }, 'n2'), true);
      assert.deepEqual(await users.locateUser('app', 'u1'), { sid: 's1', node: 'n2' });
      assert.deepEqual(await users.getPresence('app', ['u1']), ['ONLINE']);
      assert.equal(
        await users.releaseUser('app', 'u1', { sid: 's1', node: 'n1' }),
        false,
        'the old node no longer releases a session that moved',
      );
      assert.equal(await users.releaseUser('app', 'u1', { sid: 's1', node: 'n2' }), true);
      assert.equal(await users.locateUser('app', 'u1'), undefined);
      assert.equal(await users.moveUser('app', 'u1', { sid: 's1', node: 'n2' }, 'n1'), false);
    });

    test('of concurrent releases and moves naming one holder, exactly one applies', async () => {
      const users = await factory();
      const holder = { sid: 's1', node: 'n1' };
      await users.claimUser('app', 'race', holder);
      const outcomes = await Promise.all([
        ...Array.from({ length: 5 }, (_, k) => users.moveUser('app', 'race', holder, `n${k + 2}`)),
        ...Array.from({ length: 5 }, () => users.releaseUser('app', 'race', holder)),
      ]);
      assert.equal(outcomes.filter(Boolean).length, 1, String(outcomes));
      const won = outcomes.indexOf(true);
      assert.deepEqual(
        await users.locateUser('app', 'race'),
        won < 5 ? { sid: 's1', node: `n${won + 2}` } : undefined,
      );
    });

    test('presence is per app and reports UNREACHABLE only for a held user', async () => {
      const users = await factory();
      await users.claimUser('app', 'u1', { sid: 's1', node: 'n1' });
      await users.setPresence('app', 'u1', 'UNREACHABLE');
      await users.setPresence('app', 'ghost', 'ONLINE');
      assert.deepEqual(await users.getPresence('app', ['u1', 'ghost']), ['UNREACHABLE', 'OFFLINE']);
      assert.deepEqual(await users.getPresence('other-app', ['u1']), ['OFFLINE']);
      assert.equal(await users.locateUser('app', 'ghost'), undefined, 'presence claims nobody');
      await users.setPresence('app', 'u1', 'ONLINE');
      assert.deepEqual(await users.getPresence('app', ['u1']), ['ONLINE']);
    });

    test('a new claim starts ONLINE, whatever the replaced session had', async () => {
      const users = await factory();
      await users.claimUser('app', 'u1', { sid: 's1', node: 'n1' });
      await users.setPresence('app', 'u1', 'UNREACHABLE');
      await users.claimUser('app', 'u1', { sid: 's2', node: 'n1' });
      assert.deepEqual(await users.getPresence('app', ['u1']), ['ONLINE']);
    });
  });
}

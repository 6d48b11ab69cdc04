/**
 * Conformance suite of BanList implementations; every backend runs it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BanList } from '../src/backend/ban-list.js';

export type BanListFactory = () => Promise<BanList> | BanList;

export function runBanListConformance(name: string, factory: BanListFactory): void {
  describe(`ban list conformance: ${name}`, () => {
    test('a ban holds until its time, per app and user, and 0 lifts it', async () => {
      const bans = await factory();
      const now = Date.now();
      assert.equal(await bans.getBan('app', 'u1', now), 0);
      await bans.setBan('app', 'u1', now + 60_000);
      assert.equal(await bans.getBan('app', 'u1', now), now + 60_000);
      assert.equal(await bans.getBan('app', 'u1', now + 59_999), now + 60_000, 'until its time');
      assert.equal(await bans.getBan('other', 'u1', now), 0);
      assert.equal(await bans.getBan('app', 'u9', now), 0);
      assert.equal(await bans.getBan('app', 'u1', now + 60_000), 0, 'over at its time');
      await bans.setBan('app', 'u2', now + 60_000);
      await bans.setBan('app', 'u2', 0);
      assert.equal(await bans.getBan('app', 'u2', now), 0, 'lifted');
    });

    test('a later ban replaces the earlier one, shorter or longer', async () => {
      const bans = await factory();
      const now = Date.now();
      await bans.setBan('app', 'u1', now + 60_000);
      await bans.setBan('app', 'u1', now + 120_000);
      assert.equal(await bans.getBan('app', 'u1', now), now + 120_000);
      await bans.setBan('app', 'u1', now + 30_000);
      assert.equal(await bans.getBan('app', 'u1', now), now + 30_000);
    });
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { msSince, tick } from '../src/ticks.js';

test('a tick is an int32 and msSince measures from it, across the 32-bit wrap', () => {
  const now = Date.now();
  const t = tick(now);
  assert.equal(t, t | 0, 'an int32');
  assert.equal(msSince(t, now), 0);
  assert.equal(msSince(t, now + 1_234), 1_234);
  // 49.7 days on, ticks have wrapped; intervals read right on both sides of the wrap.
  const later = now + 2 ** 32 - 10;
  const tl = tick(later);
  assert.equal(tl, tl | 0, 'an int32 after the wrap too');
  assert.equal(msSince(tl, later + 25), 25);
  assert.equal(msSince(tick(later + 25), later + 25 + 10_000), 10_000);
  // A clock far before the origin (another server's injected clock in the same process).
  assert.equal(msSince(tick(5), 5 + 600_000), 600_000);
});

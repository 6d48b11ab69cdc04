import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateWindow } from '../src/rate-window.js';

test('exact window: the 181st call within 3 s is refused, and allowed once the first leaves the window', () => {
  const w = new RateWindow(180, 3000);
  for (let k = 0; k < 180; k++) assert.equal(w.take(1000 + k), true);
  assert.equal(w.take(2000), false);
  assert.equal(w.take(3999), false, 'the first call (at 1000) is still inside the window');
  assert.equal(w.take(4000), true);
});

test('large limits use O(1) memory and still refuse past the limit within a window', () => {
  const w = new RateWindow(1_000_000_000, 1000);
  for (let k = 0; k < 10_000; k++) assert.equal(w.take(5), true);
  const small = new RateWindow(2000, 1000);
  let accepted = 0;
  for (let k = 0; k < 5000; k++) if (small.take(100)) accepted++;
  assert.equal(accepted, 2000);
  // A full window later, the budget is back.
  assert.equal(small.take(2100), true);
});

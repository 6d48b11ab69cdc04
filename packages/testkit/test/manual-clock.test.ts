import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '@parley/testkit';

test('ManualClock fires timers in time order, each at its own time, and only when advanced', async () => {
  const clock = new ManualClock(1000);
  const fired: [string, number][] = [];
  clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
  clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
  const every = clock.setInterval(() => fired.push(['i', clock.now()]), 15);
  const never = clock.setTimeout(() => fired.push(['x', clock.now()]), 5);
  clock.clear(never);
  assert.deepEqual(fired, []);
  await clock.advance(30);
  assert.deepEqual(fired, [
    ['a', 1010],
    ['i', 1015],
    ['b', 1020],
    ['i', 1030],
  ]);
  assert.equal(clock.now(), 1030);
  clock.clear(every);
  assert.equal(clock.pending, 0);
});

test('ManualClock lets promises a timer starts settle before advance returns', async () => {
  const clock = new ManualClock();
  let settled = false;
  clock.setTimeout(() => void Promise.resolve().then(() => (settled = true)), 1);
  await clock.advance(1);
  assert.equal(settled, true);
});

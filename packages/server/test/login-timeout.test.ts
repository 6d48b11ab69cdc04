import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock, RawSocket, testServer } from '@parley/testkit';

test('a socket that does not log in is closed once loginTimeoutMs has passed, not before', async (t) => {
  const clock = new ManualClock();
  const server = await testServer({ clock, loginTimeoutMs: 1500, sweepIntervalMs: 100 });
  t.after(() => server.close());
  const open = (n: number) =>
    Promise.all(Array.from({ length: n }, () => RawSocket.open(server.url)));
  // An answer proves the socket is still open: the server would have closed it before replying.
  const stillOpen = async (sockets: RawSocket[]) => {
    for (const s of sockets)
      assert.equal((await s.request({ t: 'pquery', i: 1, u: ['x'] })).c, 102);
  };
  const early = await open(5);
  await clock.advance(1000);
  const late = await open(5);
  await clock.advance(400);
  await stillOpen([...early, ...late]);
  await clock.advance(200); // early: 1600 ms old, late: 600 ms
  for (const s of early)
    assert.deepEqual(await s.waitClosed(), { code: 4408, reason: 'no login in time' });
  await stillOpen(late);
  await clock.advance(1000); // late: 1600 ms old
  for (const s of late)
    assert.deepEqual(await s.waitClosed(), { code: 4408, reason: 'no login in time' });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawSocket, sleep, testServer } from '@parley/testkit';

test('a socket that does not log in is closed once loginTimeoutMs has passed, not before', async (t) => {
  const server = await testServer({ loginTimeoutMs: 1500 });
  t.after(() => server.close());
  const opened: { at: number; socket: RawSocket }[] = [];
  for (let k = 0; k < 10; k++) {
    opened.push({ at: Date.now(), socket: await RawSocket.open(server.url) });
    await sleep(97);
  }
  const lifetimes = await Promise.all(
    opened.map(async (o) => {
      const closed = await o.socket.waitClosed();
      assert.deepEqual(closed, { code: 4408, reason: 'no login in time' });
      return Date.now() - o.at;
    }),
  );
  assert.ok(
    lifetimes.every((ms) => ms >= 1500),
    `closed after ${lifetimes.join(', ')} ms`,
  );
});

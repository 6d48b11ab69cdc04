import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { APP, loggedIn, RawSocket, testServer } from '@parley/testkit';

const validFrames: Record<string, unknown>[] = [
  { t: 'psend', i: 1, to: 'fuzz-probe', m: { k: 'T', x: 'hi' } },
  { t: 'psend', i: 2, to: 'fuzz-probe', m: { k: 'R', b: 'AAEC', d: 'd' }, off: true },
  { t: 'pquery', i: 3, ids: ['a', 'b'] },
  { t: 'psub', i: 4, ids: ['a'] },
  { t: 'punsub', i: 5, ids: ['a'] },
  { t: 'plist', i: 6, o: 'ONLINE_STATUS' },
  { t: 'renew', i: 7, k: 'token' },
  { t: 'ack', s: 3 },
  { t: 'ping' },
  { t: 'login', i: 8, a: APP, u: 'fuzz-other', r: { sid: 'x', s: 1 } },
];

const anyJson = fc.jsonValue({ maxDepth: 3 });
const mutated = fc
  .tuple(
    fc.constantFrom(...validFrames),
    fc.constantFrom('t', 'i', 'to', 'm', 'ids', 'k', 's', 'o', 'off', 'r', 'a', 'u'),
    anyJson,
  )
  .map(([f, key, v]) => JSON.stringify({ ...f, [key]: v }));
const frame = fc.oneof(
  mutated,
  anyJson.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...validFrames).map((f) => JSON.stringify(f)),
);

test('10,000 random and mutated frames: the server stays up and a probe client keeps working', async (t) => {
  const server = await testServer({ sendRateCount: 1_000_000 });
  t.after(() => server.close());
  const probe = await loggedIn(server, 'fuzz-probe');
  const frames = fc.sample(frame, { numRuns: 10_000, seed: 20261125 });
  let socket: RawSocket | undefined;
  let sent = 0;
  let reopened = 0;
  for (const [n, f] of frames.entries()) {
    if (!socket || socket.ws.readyState !== 1) {
      socket = await RawSocket.open(server.url);
      reopened++;
      // Half of the sockets log in first, so post-login handlers are fuzzed too.
      if (reopened % 2 === 0)
        await socket.request({ t: 'login', i: 999_999, a: APP, u: `fuzz-${n}` });
    }
    socket.send(f);
    sent++;
    if (n % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  socket?.close();
  assert.equal(sent, frames.length);
  assert.ok(reopened > 1, 'malformed frames closed sockets along the way');
  const other = await loggedIn(server, 'fuzz-check');
  assert.deepEqual(await other.sendMessageToPeer({ text: 'still here' }, 'fuzz-probe'), {
    hasPeerReceived: true,
  });
  assert.deepEqual(await probe.queryPeersOnlineStatus(['fuzz-check']), { 'fuzz-check': true });
  const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  assert.equal(health.status, 200);
  await Promise.all([probe.logout(), other.logout()]);
});

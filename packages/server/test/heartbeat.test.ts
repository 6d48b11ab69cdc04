import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, clockedServer, RawSocket } from '@parley/testkit';

// The gateway answers the SDKs' ping bytes without decoding them: the answer and the liveness
// it refreshes must be those of any other spelling of a ping.
test('a ping, as the SDK sends it or spelled otherwise, gets a pong with the server time and keeps its session ONLINE', async (t) => {
  const { server, clock } = await clockedServer({ unreachableAfterMs: 10_000 });
  t.after(() => server.close());
  const raw = await RawSocket.open(server.url);
  t.after(() => raw.close());
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'hb-a' })).t, 'ok');
  const session = server.hub.byUserId(APP, 'hb-a')!;
  for (const ping of ['{"t":"ping"}', '{ "t": "ping" }', '{"t":"ping","x":1}']) {
    await clock.advance(6_000);
    const pongs = raw.frames.filter((f) => f.t === 'pong').length;
    raw.send(ping);
    await raw.waitFor(() => raw.frames.filter((f) => f.t === 'pong').length > pongs, 'a pong');
    assert.deepEqual(raw.frames.at(-1), { t: 'pong', ts: clock.now() }, ping);
    assert.equal(session.silentMs(clock.now()), 0, ping);
    assert.equal(session.presence, 'ONLINE', ping); // 6 s after the last ping, 12+ after login
  }
  await clock.advance(11_000);
  assert.equal(session.presence, 'UNREACHABLE', 'silent past unreachableAfterMs');
});

test('a ping before the login is answered too', async (t) => {
  const { server, clock } = await clockedServer();
  t.after(() => server.close());
  const raw = await RawSocket.open(server.url);
  t.after(() => raw.close());
  raw.send('{"t":"ping"}');
  await raw.waitFor(() => raw.frames.length > 0, 'a pong');
  assert.deepEqual(raw.frames, [{ t: 'pong', ts: clock.now() }]);
});

/** Frames from the server of the wrong shape are dropped by the SDK, never passed on, never a crash. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import AgoraRTM, { type RtmClient } from '../src/node.js';
import { BareServer, until } from '@parley/testkit';

function client(url: string): RtmClient {
  return AgoraRTM.createInstance('frames_app', { serverUrl: url });
}

test('a push of the wrong shape is dropped: no event, no state change, and it does not count in the session sequence', async (t) => {
  const server = await BareServer.start();
  t.after(() => server.close());
  const c = client(server.url);
  await c.login({ uid: 'frames-a' });
  const events: string[] = [];
  c.on('MessageFromPeer', (m, peer) => events.push(`message ${peer}: ${m.text}`));
  c.on('PeersOnlineStatusChanged', (st) => events.push(`presence ${JSON.stringify(st)}`));
  c.on('ConnectionStateChanged', (s, r) => events.push(`state ${s}/${r}`));

  server.send('{"t":"msg","s":1,"mid":"m1","f":"bob","ts":1}'); // no message
  server.send('{"t":"msg","s":1,"mid":"m2","f":"bob","m":{"k":"T","x":7},"ts":1}');
  server.send('{"t":"pst","s":1,"st":{"bob":"AWAY"}}');
  server.send('{"t":"kick","why":"BORED"}');
  server.send('{"t":"cmsg","c":"room","cs":"1","f":"bob","m":{"k":"T","x":"hi"},"ts":1}');
  server.send('not json');
  server.send('{"t":"nope"}');
  // Sequence 1 again: the dropped frames did not advance the session's count.
  server.send({ t: 'msg', s: 1, mid: 'm3', f: 'bob', m: { k: 'T', x: 'hello' }, ts: 2 });
  server.send({ t: 'pst', s: 2, st: { bob: 'ONLINE' } });

  await until(() => events.length === 2, 'the two good pushes');
  assert.deepEqual(events, ['message bob: hello', 'presence {"bob":"ONLINE"}']);
  await until(() => server.frames('ack').some((f) => f.s === 2), 'the ack of sequence 2');
  const acks = server.frames('ack').map((f) => f.s);
  assert.ok(
    acks.every((s) => s === 1 || s === 2),
    `acks name only the good pushes: ${acks.join()}`,
  );
  assert.equal(c.connectionState, 'CONNECTED');
  await c.logout();
});

test('a reply of the wrong shape is dropped; the request gets the well-formed reply that follows', async (t) => {
  const server = await BareServer.start();
  t.after(() => server.close());
  const c = client(server.url);
  await c.login({ uid: 'frames-b' });
  const count = c.getChannelMemberCount(['room']);
  await until(() => server.frames('mcount').length === 1, 'the mcount request');
  const i = server.frames('mcount')[0]!.i as number;
  server.send(`{"t":"err","i":${i},"c":"5"}`);
  server.send(`{"t":"ok","i":"${i}","r":{"counts":{"room":1}}}`);
  server.send({ t: 'ok', i, r: { counts: { room: 3 } } });
  assert.deepEqual(await count, { room: 3 });
  await c.logout();
});

test('a login reply whose result is not a login result fails that attempt; the next attempt logs in', async (t) => {
  const server = await BareServer.start({ answerLogin: false });
  t.after(() => server.close());
  let attempts = 0;
  server.onConnection = (ws) =>
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { t: string; i: number };
      if (f.t !== 'login') return;
      attempts++;
      const r =
        attempts === 1 ? { sid: 7 } : { sid: 'ok-2', resumed: false, ts: 0, exp: 0, hb: 2500 };
      ws.send(JSON.stringify({ t: 'ok', i: f.i, r }));
    });
  const c = AgoraRTM.createInstance('frames_app', {
    serverUrl: server.url,
    reconnectBaseDelayMs: 1,
    reconnectMaxDelayMs: 1,
  });
  const states: string[] = [];
  c.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
  await c.login({ uid: 'frames-c' });
  assert.equal(attempts, 2);
  assert.deepEqual(states, ['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
  await c.logout();
});

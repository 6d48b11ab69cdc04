import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  APP,
  client,
  loggedIn,
  nodeProcess,
  peerMarker,
  RawSocket,
  recordStates,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

const TIMERS = { heartbeatMs: 200, resumeWindowMs: 1500, unreachableAfterMs: 600 };

test('kill -9 a node: its SDK clients fail over and carry on; users that do not come back go offline and leave their channels', async (t) => {
  const prefix = uniquePrefix();
  const survivor = await testServer({
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    sendRateCount: 1_000_000,
    ...TIMERS,
  });
  t.after(() => survivor.close());
  const doomed = await nodeProcess(t, { redisUrl: REDIS_URL, redisPrefix: prefix, ...TIMERS });

  // The short request timeout keeps the traffic below moving should an answer be slow.
  const watcher = await loggedIn(survivor, 'nd-watcher', { requestTimeoutMs: 2000 });
  const presence: string[] = [];
  watcher.on('PeersOnlineStatusChanged', (st) =>
    presence.push(...Object.entries(st).map(([k, v]) => `${k}:${v}`)),
  );
  await watcher.subscribePeersOnlineStatus(['nd-gone']);
  const room = watcher.createChannel('nd-room');
  const left: string[] = [];
  room.on('MemberLeft', (u) => left.push(u));
  await room.join();

  // A raw client never reconnects: its user must go offline when its node dies.
  const gone = await RawSocket.open(doomed.url);
  assert.equal((await gone.request({ t: 'login', i: 1, a: APP, u: 'nd-gone' })).t, 'ok');
  assert.equal((await gone.request({ t: 'join', i: 2, c: 'nd-room' })).t, 'ok');
  await until(() => presence.includes('nd-gone:ONLINE'), 'nd-gone online');

  // An SDK client with both nodes in serverUrl fails over to the survivor.
  const mover = client([doomed.url, survivor.url]);
  const moverGot: string[] = [];
  mover.on('MessageFromPeer', (m) => moverGot.push((m as { text: string }).text));
  await mover.login({ uid: 'nd-mover' });
  const states = recordStates(mover);

  // Traffic flows while the node dies: each message carries its sequence number.
  const acknowledged: number[] = [];
  let sending = true;
  const traffic = (async () => {
    for (let seq = 0; sending; seq++) {
      const r = await watcher
        .sendMessageToPeer({ text: String(seq) }, 'nd-mover')
        .catch(() => ({ hasPeerReceived: false }));
      if (r.hasPeerReceived) acknowledged.push(seq); // one in flight: each waits for its answer
    }
  })();
  await until(() => acknowledged.length >= 20, 'traffic before the kill');
  await doomed.kill();
  await until(
    () => states.includes('CONNECTED/LOGIN_SUCCESS'),
    'the mover reconnects elsewhere',
    15_000,
  );
  const after = acknowledged.length;
  await until(() => acknowledged.length >= after + 20, 'traffic after the failover', 10_000);
  sending = false;
  await traffic;
  assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
  await peerMarker(watcher, mover, 'nd-mover'); // a duplicate would have come before it
  const received = moverGot.filter((t) => !t.startsWith('marker-')).map(Number);
  assert.equal(new Set(received).size, received.length, 'no duplicates');
  assert.deepEqual(
    [...received].sort((x, y) => x - y),
    received,
    'in order',
  );
  assert.deepEqual(
    acknowledged.filter((seq) => !received.includes(seq)),
    [],
    'every acknowledged message arrived',
  );

  await until(
    () => presence.includes('nd-gone:OFFLINE'),
    'nd-gone offline after the window',
    15_000,
  );
  await until(() => left.includes('nd-gone'), 'MemberLeft for nd-gone', 5_000);
  assert.deepEqual(await watcher.queryPeersOnlineStatus(['nd-gone', 'nd-mover']), {
    'nd-gone': false,
    'nd-mover': true,
  });
  assert.deepEqual(await room.getMembers(), ['nd-watcher']);
  await Promise.all([watcher.logout(), mover.logout()]);
});

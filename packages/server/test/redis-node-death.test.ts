import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  APP,
  client,
  loggedIn,
  RawSocket,
  recordStates,
  sleep,
  tempDir,
  testServer,
  until,
} from './helpers.js';
import { REDIS_URL, uniquePrefix } from './redis-helpers.js';

const TIMERS = { heartbeatMs: 200, resumeWindowMs: 1500, unreachableAfterMs: 600 };

/** Starts a node as its own process (so the test can kill -9 it); answers its URL. */
async function nodeProcess(prefix: string) {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    cli,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    tempDir(),
  ];
  args.push('--redis', REDIS_URL, '--redis-prefix', prefix, '--log-level', 'warn');
  args.push(
    '--heartbeat-ms',
    String(TIMERS.heartbeatMs),
    '--resume-window-ms',
    String(TIMERS.resumeWindowMs),
  );
  args.push('--unreachable-after-ms', String(TIMERS.unreachableAfterMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /listening on ws:\/\/127\.0\.0\.1:\d+/.test(out), 'node listening', 20_000);
  return { child, url: /ws:\/\/127\.0\.0\.1:\d+/.exec(out)![0] };
}

test('kill -9 a node: its SDK clients fail over and carry on; users that do not come back go offline and leave their channels', async (t) => {
  const prefix = uniquePrefix();
  const survivor = await testServer({
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    sendRateCount: 1_000_000,
    ...TIMERS,
  });
  t.after(() => survivor.close());
  const doomed = await nodeProcess(prefix);
  t.after(() => doomed.child.kill('SIGKILL'));

  // A message in flight to the dying node never gets its receipt: it fails after the request timeout.
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
      if (r.hasPeerReceived) acknowledged.push(seq);
      await sleep(5);
    }
  })();
  await until(() => acknowledged.length >= 20, 'traffic before the kill');
  doomed.child.kill('SIGKILL');
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
  await sleep(200);
  const received = moverGot.map(Number);
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

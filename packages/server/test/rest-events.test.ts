/**
 * Agora's event pull: a login, a join, a leave and a logout appear once each, in order, then are
 * gone; on the embedded backend they outlive a restart, and a SIGKILL keeps what was written;
 * on two Redis nodes one pull sees the events of both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { basic, restClient } from './rest-client.js';
import { sqliteFile } from '../src/backend/memory/sqlite.js';
import {
  APP,
  client,
  loggedIn,
  nodeProcess,
  tempDir,
  testServer,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from '@parley/testkit';

const KEYS = [{ key: 'backend', secret: 's3cret' }];
const AUTH = basic('backend', 's3cret');
const USER_EVENTS = `/dev/v2/project/${APP}/rtm/vendor/user_events`;
const CHANNEL_EVENTS = `/dev/v2/project/${APP}/rtm/vendor/channel_events`;

type Pulled = { user_id: string; type: string; ms: number; group_id?: string };

test('login, join, leave and logout appear once each in the pull APIs, in order, then are gone', async (t) => {
  const server = await testServer({ restKeys: KEYS });
  t.after(() => server.close());
  const rest = restClient(server.port, AUTH);
  const before = Date.now();
  const c = await loggedIn(server, 'ev-pull');
  const ch = c.createChannel('ev-room');
  await ch.join();
  await ch.leave();
  await c.logout();
  const users = await rest('GET', USER_EVENTS);
  assert.equal(users.status, 200);
  assert.deepEqual(
    (users.body.events as Pulled[]).map((e) => `${e.user_id}:${e.type}`),
    ['ev-pull:Login', 'ev-pull:Logout'],
  );
  const [login, logout] = users.body.events as Pulled[];
  assert.ok(login!.ms >= before && logout!.ms >= login!.ms, 'ms are the server times, in order');
  const channels = await rest('GET', CHANNEL_EVENTS);
  assert.deepEqual(
    (channels.body.events as Pulled[]).map((e) => `${e.group_id}:${e.user_id}:${e.type}`),
    ['ev-room:ev-pull:Join', 'ev-room:ev-pull:Leave'],
  );
  assert.deepEqual((await rest('GET', USER_EVENTS)).body.events, [], 'gone once pulled');
  assert.deepEqual((await rest('GET', CHANNEL_EVENTS)).body.events, []);
  const other = await rest('GET', `/dev/v2/project/other_app/rtm/vendor/user_events`);
  assert.deepEqual(other.body.events, [], 'per app');
  const noAuth = await rest('GET', USER_EVENTS, { auth: undefined });
  assert.equal(noAuth.status, 401);
});

test('a pull answers at most 1,000 events, oldest first, and keeps the newest PARLEY_REST_EVENTS_MAX', async (t) => {
  const server = await testServer({ restKeys: KEYS, restEventsMaxPerApp: 1200 });
  t.after(() => server.close());
  const rest = restClient(server.port, AUTH);
  // 650 joins and 650 leaves, as the channels service emits them (the join rate limit would
  // make real ones take minutes): of the 1,300 events the oldest 100 fall beyond the cap.
  const c = await loggedIn(server, 'ev-many');
  for (let k = 0; k < 650; k++) {
    server.events.emit({
      type: 'join',
      app: APP,
      channel: `ch${k}`,
      uid: 'ev-many',
      count: 1,
      ts: k,
    });
    server.events.emit({
      type: 'leave',
      app: APP,
      channel: `ch${k}`,
      uid: 'ev-many',
      count: 0,
      ts: k,
    });
  }
  const first = (await rest('GET', CHANNEL_EVENTS)).body.events as Pulled[];
  assert.equal(first.length, 1000);
  assert.deepEqual(first[0], { group_id: 'ch50', user_id: 'ev-many', type: 'Join', ms: 50 });
  const second = (await rest('GET', CHANNEL_EVENTS)).body.events as Pulled[];
  assert.equal(second.length, 200);
  assert.deepEqual(second.at(-1), {
    group_id: 'ch649',
    user_id: 'ev-many',
    type: 'Leave',
    ms: 649,
  });
  await c.logout();
});

/** A login, a join, a leave and a logout of `uid` on the node at `url`. */
async function oneVisit(url: string, uid: string): Promise<void> {
  const c = client(url);
  await c.login({ uid });
  const ch = c.createChannel(`${uid}-room`);
  await ch.join();
  await ch.leave();
  await c.logout();
}

/** What a pull on the node at `url` answers, as `uid:type` and `channel:uid:type`. */
async function pullBoth(url: string): Promise<{ users: string[]; channels: string[] }> {
  const rest = restClient(Number(new URL(url).port), AUTH);
  const users = (await rest('GET', USER_EVENTS)).body.events as Pulled[];
  const channels = (await rest('GET', CHANNEL_EVENTS)).body.events as Pulled[];
  return {
    users: users.map((e) => `${e.user_id}:${e.type}`),
    channels: channels.map((e) => `${e.group_id}:${e.user_id}:${e.type}`),
  };
}

test('embedded: the events outlive a restart (SIGTERM), even those of its last moments', async (t) => {
  const config = { dataDir: tempDir(), restKeys: KEYS };
  const first = await nodeProcess(t, config);
  await oneVisit(first.url, 'ev-term');
  assert.equal(await first.stop(), 0, 'stopped at once, the last batch unwritten');
  const again = await nodeProcess(t, config);
  assert.deepEqual(await pullBoth(again.url), {
    users: ['ev-term:Login', 'ev-term:Logout'],
    channels: ['ev-term-room:ev-term:Join', 'ev-term-room:ev-term:Leave'],
  });
  assert.deepEqual(await pullBoth(again.url), { users: [], channels: [] }, 'then gone');
});

test('embedded: a SIGKILL keeps the events already written (those older than 50 ms)', async (t) => {
  const dataDir = tempDir();
  const config = { dataDir, restKeys: KEYS };
  const first = await nodeProcess(t, config);
  await oneVisit(first.url, 'ev-kill');
  // Written on the node's own clock, no pull asked: they reach the file for any reader.
  const reader = new Database(sqliteFile(dataDir), { readonly: true });
  const count = reader.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM rest_event_batches');
  await eventually(
    () => Promise.resolve((count.get() as { n: number }).n === 4),
    'the four events in the file',
  );
  reader.close();
  await first.kill();
  const again = await nodeProcess(t, config);
  assert.deepEqual(await pullBoth(again.url), {
    users: ['ev-kill:Login', 'ev-kill:Logout'],
    channels: ['ev-kill-room:ev-kill:Join', 'ev-kill-room:ev-kill:Leave'],
  });
});

test('on two Redis nodes one pull sees the events of both', async (t) => {
  const prefix = uniquePrefix();
  const common = { restKeys: KEYS, redisUrl: REDIS_URL, redisPrefix: prefix };
  const [a, b] = await Promise.all([testServer(common), testServer(common)]);
  t.after(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  const onA = client(a);
  const onB = client(b);
  await onA.login({ uid: 'ev-on-a' });
  await onB.login({ uid: 'ev-on-b' });
  const pulled: string[] = [];
  const restA = restClient(a.port, AUTH);
  const restB = restClient(b.port, AUTH);
  await eventually(async () => {
    for (const e of (await restB('GET', USER_EVENTS)).body.events as Pulled[])
      pulled.push(`${e.user_id}:${e.type}`);
    return pulled.length >= 2;
  }, 'both logins');
  assert.deepEqual(pulled, ['ev-on-a:Login', 'ev-on-b:Login'], 'one pull on B sees A’s login too');
  assert.deepEqual((await restA('GET', USER_EVENTS)).body.events, [], 'and A has nothing left');
  await Promise.all([onA.logout(), onB.logout()]);
});

test('on two Redis nodes a REST message sent on one node reaches a receiver on the other, wait_for_ack included', async (t) => {
  const prefix = uniquePrefix();
  const common = { restKeys: KEYS, redisUrl: REDIS_URL, redisPrefix: prefix };
  const [a, b] = await Promise.all([testServer(common), testServer(common)]);
  t.after(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  const rx = client(b);
  const got: string[] = [];
  rx.on('MessageFromPeer', (m, from) => got.push(`peer:${from}:${m.text}`));
  await rx.login({ uid: 'ev-far' });
  const room = rx.createChannel('ev-far-room');
  room.on('ChannelMessage', (m, from) => got.push(`channel:${from}:${m.text}`));
  await room.join();
  const restA = restClient(a.port, AUTH);
  const peer = await restA(
    'POST',
    `/dev/v2/project/${APP}/rtm/users/ev-ops/peer_messages?wait_for_ack=true`,
    {
      body: { destination: 'ev-far', payload: 'across nodes' },
    },
  );
  assert.equal(peer.body.code, 'message_delivered', 'the receipt came back across Redis');
  const channel = await restA('POST', `/dev/v2/project/${APP}/rtm/users/ev-ops/channel_messages`, {
    body: { channel_name: 'ev-far-room', payload: 'to the room' },
  });
  assert.equal(channel.body.code, 'message_sent');
  await eventually(() => Promise.resolve(got.length === 2), 'both messages');
  assert.deepEqual(got, ['peer:ev-ops:across nodes', 'channel:ev-ops:to the room']);
  await rx.logout();
});

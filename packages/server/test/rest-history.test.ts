/**
 * Historical messages: sent with the flag from the SDK (peer and channel) or the REST API they
 * are kept, durably, and come back from Agora's query, result and count endpoints; without the
 * flag they are not. A restart of the server keeps them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import { basic, restClient, type RestAnswer } from './rest-client.js';
import { APP, loggedIn, tempDir, testServer } from '@parley/testkit';

const KEYS = [{ key: 'backend', secret: 's3cret' }];
const BASE = `/dev/v2/project/${APP}/rtm`;
const iso = (ms: number) => new Date(ms).toISOString();

function history(server: RunningServer) {
  const rest = restClient(server.port, basic('backend', 's3cret'));
  const window = { start_time: iso(Date.now() - 60_000), end_time: iso(Date.now() + 60_000) };
  return {
    rest,
    async query(
      filter: { source?: string; destination?: string },
      page: Record<string, unknown> = {},
    ): Promise<RestAnswer> {
      const created = await rest('POST', `${BASE}/message/history/query`, {
        body: { filter: { ...filter, ...window }, ...page },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const handle = (created.body.location as string).split('/').pop()!;
      return rest('GET', `${BASE}/message/history/query/${handle}`);
    },
    async count(filter: Record<string, string>): Promise<number> {
      const q = new URLSearchParams({ ...filter, ...window });
      const r = await rest('GET', `${BASE}/message/history/count?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.count as number;
    },
  };
}

const shown = (r: RestAnswer) =>
  (r.body.messages as { src: string; dst: string; message_type: string; payload: string }[]).map(
    (m) => `${m.message_type}:${m.src}>${m.dst}:${m.payload}`,
  );

test('messages sent with the flag (SDK peer, SDK channel, REST) come back from query and count; those without do not; a restart keeps them', async (t) => {
  const dataDir = tempDir();
  let server = await testServer({ restKeys: KEYS, dataDir });
  t.after(() => server.close());
  const alice = await loggedIn(server, 'h-alice');
  const bob = await loggedIn(server, 'h-bob');
  await alice.sendMessageToPeer({ text: 'kept 1' }, 'h-bob', { enableHistoricalMessaging: true });
  await alice.sendMessageToPeer({ text: 'not kept' }, 'h-bob');
  await alice.sendMessageToPeer(
    { rawMessage: new Uint8Array([1, 2]), messageType: 'RAW' },
    'h-bob',
    { enableHistoricalMessaging: true },
  );
  await bob.sendMessageToPeer({ text: 'kept 2' }, 'h-alice', { enableHistoricalMessaging: true });
  const room = alice.createChannel('h-room');
  await room.join();
  await room.sendMessage({ text: 'kept 3' }, { enableHistoricalMessaging: true });
  await room.sendMessage({ text: 'not kept either' });
  const { rest } = history(server);
  const peer = await rest('POST', `${BASE}/users/h-backend/peer_messages`, {
    body: { destination: 'h-alice', payload: 'kept 4', enable_historical_messaging: true },
  });
  assert.equal(peer.body.code, 'message_sent');
  await rest('POST', `${BASE}/users/h-backend/channel_messages`, {
    body: { channel_name: 'h-room', payload: 'kept 5', enable_historical_messaging: true },
  });
  await rest('POST', `${BASE}/users/h-backend/channel_messages`, {
    body: { channel_name: 'h-room', payload: 'not kept 3' },
  });

  const check = async () => {
    const { query, count } = history(server);
    assert.deepEqual(shown(await query({ source: 'h-alice' })), [
      'peer_message:h-alice>h-bob:kept 1',
      'channel_message:h-alice>h-room:kept 3',
    ]);
    assert.deepEqual(shown(await query({ destination: 'h-alice' })), [
      'peer_message:h-bob>h-alice:kept 2',
      'peer_message:h-backend>h-alice:kept 4',
    ]);
    assert.deepEqual(shown(await query({ destination: 'h-room' })), [
      'channel_message:h-alice>h-room:kept 3',
      'channel_message:h-backend>h-room:kept 5',
    ]);
    assert.deepEqual(shown(await query({ source: 'h-alice', destination: 'h-bob' })), [
      'peer_message:h-alice>h-bob:kept 1',
    ]);
    assert.deepEqual(shown(await query({ destination: 'h-room' }, { order: 'desc', limit: 1 })), [
      'channel_message:h-backend>h-room:kept 5',
    ]);
    assert.deepEqual(shown(await query({ source: 'h-room' })), [], 'a channel sends nothing');
    assert.equal(await count({ source: 'h-alice' }), 2);
    assert.equal(await count({ destination: 'h-room' }), 2);
    assert.equal(await count({ source: 'h-backend' }), 2);
  };
  await check();
  const r = await history(server).query({ source: 'h-alice' });
  assert.equal(r.body.code, 'ok');
  for (const m of r.body.messages as { ms: number }[])
    assert.ok(Math.abs(m.ms - Date.now()) < 60_000, 'ms is the server receive time');

  await Promise.all([alice.logout(), bob.logout()]);
  await server.close();
  server = await testServer({ restKeys: KEYS, dataDir });
  await check();
});

test('history requests with bad filters, times or handles are refused naming the field', async (t) => {
  const server = await testServer({ restKeys: KEYS });
  t.after(() => server.close());
  const rest = restClient(server.port, basic('backend', 's3cret'));
  const now = Date.now();
  const post = (body: unknown) => rest('POST', `${BASE}/message/history/query`, { body });
  const expect400 = async (r: Promise<RestAnswer>, message: RegExp) => {
    const a = await r;
    assert.equal(a.status, 400, JSON.stringify(a.body));
    assert.match(a.body.message, message);
  };
  const times = { start_time: iso(now - 1000), end_time: iso(now) };
  await expect400(
    post({ filter: times }),
    /^filter\.source, filter\.destination: give at least one/,
  );
  await expect400(post({}), /^filter: must be an object/);
  await expect400(
    post({ filter: { source: 'a', start_time: '2019-08-01', end_time: iso(now) } }),
    /^filter\.start_time: must be an ISO 8601 UTC time/,
  );
  await expect400(
    post({ filter: { source: 'a', start_time: iso(now), end_time: iso(now - 1) } }),
    /^filter\.start_time: must not be after filter\.end_time/,
  );
  await expect400(post({ filter: { source: 'null', ...times } }), /^filter\.source: must be 1-64/);
  await expect400(
    post({ filter: { source: 'a', ...times }, limit: 101 }),
    /^limit: must be an integer from 1 to 100/,
  );
  await expect400(
    post({ filter: { source: 'a', ...times }, order: 'up' }),
    /^order: must be 'asc' or 'desc'/,
  );
  await expect400(rest('GET', `${BASE}/message/history/query/not-a-handle`), /^handle:/);
  const other = await rest('POST', `/dev/v2/project/other_app/rtm/message/history/query`, {
    body: { filter: { source: 'a', ...times } },
  });
  const handle = (other.body.location as string).split('/').pop()!;
  await expect400(
    rest('GET', `${BASE}/message/history/query/${handle}`),
    /^handle: not a query of this app/,
  );
  await expect400(
    rest('GET', `${BASE}/message/history/count?source=a&start_time=${times.start_time}`),
    /^end_time: must be an ISO 8601/,
  );
  const created = await post({
    filter: { destination: 'a', ...times },
    offset: 5,
    limit: 50,
    order: 'desc',
  });
  assert.equal(created.status, 200);
  assert.equal(created.body.offset, 5);
  assert.equal(created.body.limit, 50);
  assert.equal(created.body.order, 'desc');
});

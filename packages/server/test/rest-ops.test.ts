/**
 * Parley's operations API (`/v1/apps/{appId}/…`, Basic auth) over real HTTP, against SDK clients
 * over real WebSockets; every answer checked against openapi.json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmChannel, RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { basic, restClient } from './rest-client.js';
import { APP, client, loggedIn, testServer, until } from '@parley/testkit';

const KEYS = [{ key: 'ops', secret: 'pw' }];
const V1 = `/v1/apps/${APP}`;

describe('operations API', () => {
  let server: RunningServer;
  let rest: ReturnType<typeof restClient>;
  before(async () => {
    server = await testServer({ restKeys: KEYS });
    rest = restClient(server.port, basic('ops', 'pw'));
  });
  after(() => server.close());

  test('presence of many users, and one user: online, joined channels, user attributes', async () => {
    const u = await loggedIn(server, 'op-ann');
    await u.setLocalUserAttributes({ mood: 'busy', team: 'blue' });
    const ch = u.createChannel('op-one');
    await ch.join();
    await u.createChannel('op-two').join();
    const p = await rest('POST', `${V1}/users/presence`, {
      body: { userIds: ['op-ann', 'op-nobody'] },
    });
    assert.equal(p.status, 200);
    assert.deepEqual(p.body.presence, { 'op-ann': 'ONLINE', 'op-nobody': 'OFFLINE' });
    const one = await rest('GET', `${V1}/users/op-ann`);
    assert.deepEqual(
      { ...one.body, request_id: undefined },
      {
        result: 'success',
        request_id: undefined,
        userId: 'op-ann',
        online: true,
        presence: 'ONLINE',
        channels: ['op-one', 'op-two'],
        attributes: { mood: 'busy', team: 'blue' },
      },
    );
    await u.logout();
    const gone = await rest('GET', `${V1}/users/op-ann`);
    assert.equal(gone.body.online, false);
    assert.deepEqual(gone.body.channels, []);
    assert.deepEqual(gone.body.attributes, {}, 'user attributes end with the session');
    const tooMany = await rest('POST', `${V1}/users/presence`, {
      body: { userIds: Array.from({ length: 257 }, (_, k) => `u${k}`) },
    });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message, /^userIds: 257 ids; the limit is 256 per call$/);
    const bad = await rest('POST', `${V1}/users/presence`, { body: { userIds: ['ok', 'null'] } });
    assert.match(bad.body.message, /^userIds\[1\]: must be 1-64/);
  });

  test('live channels with member counts, paged; one channel with members paged, attributes and metadata', async () => {
    const clients: RtmClient[] = [];
    const joined: RtmChannel[] = [];
    for (let k = 0; k < 3; k++) clients.push(await loggedIn(server, `op-m${k}`));
    for (const c of clients) {
      const ch = c.createChannel('op-big');
      await ch.join();
      joined.push(ch);
    }
    await clients[0]!.createChannel('op-small').join();
    await clients[0]!.setChannelAttributes('op-big', { topic: 'Friday' });
    const item = clients[0]!.createMetadataItem();
    item.setKey('mode');
    item.setValue('quiet');
    await joined[0]!.setChannelMetadata([item]);
    const ids = new Map<string, number>();
    let cursor = '';
    do {
      const page = await rest(
        'GET',
        `${V1}/channels?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(page.status, 200);
      for (const c of page.body.channels as { channelId: string; memberCount: number }[])
        ids.set(c.channelId, c.memberCount);
      cursor = page.body.next;
    } while (cursor !== '');
    assert.equal(ids.get('op-big'), 3);
    assert.equal(ids.get('op-small'), 1);
    const detail = await rest('GET', `${V1}/channels/op-big?limit=2`);
    assert.equal(detail.body.memberCount, 3);
    assert.deepEqual(detail.body.members, ['op-m2', 'op-m1'], 'latest joiners first');
    const rest2 = await rest('GET', `${V1}/channels/op-big?limit=2&offset=2`);
    assert.deepEqual(rest2.body.members, ['op-m0']);
    assert.equal(detail.body.attributes.topic.value, 'Friday');
    assert.equal(detail.body.attributes.topic.lastUpdateUserId, 'op-m0');
    assert.equal(detail.body.metadata.items.length, 1);
    assert.deepEqual(detail.body.metadata.items[0], {
      key: 'mode',
      value: 'quiet',
      revision: 1,
      updateTs: 0,
      authorUserId: '',
    });
    const empty = await rest('GET', `${V1}/channels/op-nowhere`);
    assert.equal(empty.body.memberCount, 0);
    assert.deepEqual(empty.body.members, []);
    assert.equal((await rest('GET', `${V1}/channels?limit=0`)).status, 400);
    await Promise.all(clients.map((c) => c.logout()));
  });

  test('channel attributes: set, update and delete with the SDK’s semantics; members notified on request', async () => {
    const member = await loggedIn(server, 'op-watch');
    const ch: RtmChannel = member.createChannel('op-attrs');
    await ch.join();
    const updates: Record<string, { value: string; lastUpdateUserId: string }>[] = [];
    ch.on('AttributesUpdated', (a) => updates.push(a));
    const path = `${V1}/channels/op-attrs/attributes`;
    const set = await rest('PUT', path, {
      body: {
        attributes: { a: '1', b: '2' },
        enableNotificationToChannelMembers: true,
        updatedBy: 'op-admin',
      },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(Object.keys(set.body.attributes).sort(), ['a', 'b']);
    await until(() => updates.length === 1, 'AttributesUpdated');
    assert.equal(updates[0]!.a!.value, '1');
    assert.equal(updates[0]!.a!.lastUpdateUserId, 'op-admin');
    const patch = await rest('PATCH', path, { body: { attributes: { b: '3', c: '4' } } });
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(patch.body.attributes as Record<string, { value: string }>).map(([k, v]) => [
          k,
          v.value,
        ]),
      ),
      { a: '1', b: '3', c: '4' },
    );
    assert.equal(patch.body.attributes.c.lastUpdateUserId, '', 'the server itself by default');
    const del = await rest('DELETE', path, {
      body: { attributeKeys: ['a'], enableNotificationToChannelMembers: true },
    });
    assert.deepEqual(Object.keys(del.body.attributes).sort(), ['b', 'c']);
    await until(() => updates.length === 2, 'the second AttributesUpdated');
    assert.deepEqual(Object.keys(updates[1]!).sort(), ['b', 'c']);
    assert.deepEqual(await member.getChannelAttributesByKeys('op-attrs', ['b']), {
      b: { value: '3', lastUpdateUserId: '', lastUpdateTs: patch.body.attributes.b.lastUpdateTs },
    });
    const tooBig = await rest('PATCH', path, {
      body: { attributes: { big: 'x'.repeat(8 * 1024 + 1) } },
    });
    assert.equal(tooBig.status, 400);
    assert.match(tooBig.body.message, /^attributes\.big: 8193 bytes; the limit is 8192 per value$/);
    const clear = await rest('DELETE', path, {});
    assert.deepEqual(clear.body.attributes, {});
    assert.deepEqual(await member.getChannelAttributes('op-attrs'), {});
    assert.equal(updates.length, 2, 'no notification unless asked');
    await member.logout();
  });

  test('kick without a ban: ABORTED / BANNED_BY_SERVER, and the user may log in again at once', async () => {
    const c = client(server);
    const states: string[] = [];
    c.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
    await c.login({ uid: 'op-kicked' });
    const r = await rest('POST', `${V1}/users/op-kicked/kick`);
    assert.equal(r.status, 200);
    assert.equal(r.body.kicked, true);
    await until(() => states.includes('ABORTED/BANNED_BY_SERVER'), 'ABORTED');
    const again = await loggedIn(server, 'op-kicked');
    const nobody = await rest('POST', `${V1}/users/op-nobody-here/kick`);
    assert.equal(nobody.body.kicked, false);
    await again.logout();
  });

  test('the admin console’s stats and nodes', async () => {
    const stats = await rest('GET', '/v1/admin/stats');
    assert.equal(stats.status, 200);
    assert.equal(stats.body.node, server.node);
    assert.equal(stats.body.intervalMs, 2000);
    const nodes = await rest('GET', '/v1/admin/nodes');
    assert.equal(nodes.body.mode, 'embedded');
    assert.deepEqual(
      (nodes.body.nodes as { node: string; self: boolean }[]).map((n) => [n.node, n.self]),
      [[server.node, true]],
    );
    assert.equal((await rest('GET', '/v1/admin/stats', { auth: basic('ops', 'x') })).status, 401);
  });
});

/**
 * Keys a client chose that are also Object.prototype's names (`__proto__`, `constructor`,
 * `toString`, `hasOwnProperty`) go through every API that takes one and come back as own keys.
 * On two Redis nodes, of each pair of clients the first is on one node and the second on the
 * other, so every key also crosses Redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmClient, RtmMetadata } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  channelMarker,
  client,
  CutProxy,
  loggedIn,
  recordStates,
  startTopology,
  TOPOLOGIES,
  until,
  type Topology,
} from '@parley/testkit';

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** The object's own keys and values, whatever its prototype chain holds. */
function own(o: object): [string, unknown][] {
  return Object.getOwnPropertyNames(o)
    .sort()
    .map((k) => [k, Object.getOwnPropertyDescriptor(o, k)!.value]);
}

function expected(value: (k: string) => unknown): [string, unknown][] {
  return [...KEYS].sort().map((k) => [k, value(k)]);
}

function items(c: RtmClient, value: (k: string) => string) {
  return KEYS.map((k) => {
    const it = c.createMetadataItem();
    it.setKey(k);
    it.setValue(value(k));
    return it;
  });
}

const metaKeys = (m: RtmMetadata) =>
  m.items.map((i) => [i.getKey(), i.getValue()] as [string, unknown]).sort();

for (const kind of TOPOLOGIES)
  describe(`prototype names as keys (${kind})`, () => {
    let topo: Topology;
    let server: RunningServer;
    let far: RunningServer;
    const clients: RtmClient[] = [];
    before(async () => {
      topo = await startTopology(kind);
      [server, far] = topo.nodes;
    });
    after(async () => {
      for (const c of clients) await c.logout().catch(() => undefined);
      await topo.close();
    });

    test('user attributes: set, get, get by keys, add or update, delete by keys', async () => {
      const a = await loggedIn(server, 'pk-attr-a');
      const b = await loggedIn(far, 'pk-attr-b');
      clients.push(a, b);
      const attrs = Object.fromEntries(KEYS.map((k) => [k, `v-${k}`]));
      await a.setLocalUserAttributes(attrs);
      assert.deepEqual(
        own(await b.getUserAttributes('pk-attr-a')),
        expected((k) => `v-${k}`),
      );
      assert.deepEqual(
        own(await b.getUserAttributesByKeys('pk-attr-a', KEYS)),
        expected((k) => `v-${k}`),
      );
      await a.addOrUpdateLocalUserAttributes(Object.fromEntries([['__proto__', 'changed']]));
      const got = await b.getUserAttributesByKeys('pk-attr-a', ['__proto__']);
      assert.deepEqual(own(got), [['__proto__', 'changed']]);
      await a.deleteLocalUserAttributesByKeys(['__proto__', 'toString']);
      assert.deepEqual(
        own(await b.getUserAttributes('pk-attr-a')).map(([k]) => k),
        ['constructor', 'hasOwnProperty'],
      );
    });

    test('uids: peer messages, queryPeersOnlineStatus, subscription snapshot and changes', async () => {
      const w = await loggedIn(server, 'pk-watcher');
      clients.push(w);
      const peers: RtmClient[] = [];
      for (const k of KEYS) peers.push(await loggedIn(far, k));
      clients.push(...peers);
      assert.deepEqual(
        own(await w.queryPeersOnlineStatus(KEYS)),
        expected(() => true),
      );
      const got: string[] = [];
      peers[0]!.on('MessageFromPeer', (m, from) => got.push(`${from}:${m.text}`));
      const r = await w.sendMessageToPeer({ text: 'hi' }, '__proto__');
      assert.equal(r.hasPeerReceived, true);
      await until(() => got.length === 1, 'message to __proto__');
      assert.deepEqual(got, ['pk-watcher:hi']);
      const snapshots: object[] = [];
      w.on('PeersOnlineStatusChanged', (st) => snapshots.push(st));
      await w.subscribePeersOnlineStatus(KEYS);
      await until(() => snapshots.length > 0, 'snapshot');
      assert.deepEqual(
        own(snapshots[0]!),
        expected(() => 'ONLINE'),
      );
      assert.deepEqual(
        (await w.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort(),
        [...KEYS].sort(),
      );
      await peers[0]!.logout();
      await until(() => snapshots.length > 1, 'OFFLINE change');
      assert.deepEqual(own(snapshots.at(-1)!), [['__proto__', 'OFFLINE']]);
    });

    test('channel ids: join, member count, channel attributes, channel metadata', async () => {
      const a = await loggedIn(server, 'pk-chan-a');
      const b = await loggedIn(far, 'pk-chan-b');
      clients.push(a, b);
      for (const id of KEYS) await a.createChannel(id).join();
      assert.deepEqual(
        own(await b.getChannelMemberCount(KEYS)),
        expected(() => 1),
      );
      const ch = b.createChannel('__proto__');
      const members: string[] = [];
      ch.on('MemberJoined', (m) => members.push(m));
      await ch.join();
      assert.deepEqual((await ch.getMembers()).sort(), ['pk-chan-a', 'pk-chan-b']);
      const attrs = Object.fromEntries(KEYS.map((k) => [k, `c-${k}`]));
      const updates: object[] = [];
      ch.on('AttributesUpdated', (u) => updates.push(u));
      for (const id of KEYS)
        await a.setChannelAttributes(id, attrs, { enableNotificationToChannelMembers: true });
      for (const id of KEYS) {
        const read = await b.getChannelAttributes(id);
        assert.deepEqual(
          own(read).map(([k, v]) => [k, (v as { value: string }).value]),
          expected((k) => `c-${k}`),
          id,
        );
        const byKeys = await b.getChannelAttributesByKeys(id, ['__proto__']);
        assert.deepEqual(
          own(byKeys).map(([k]) => k),
          ['__proto__'],
        );
      }
      await until(() => updates.length > 0, 'AttributesUpdated');
      assert.deepEqual(
        own(updates[0]!).map(([k]) => k),
        [...KEYS].sort(),
      );
      const metaCh = a.createChannel('__proto__');
      await metaCh.setChannelMetadata(items(a, (k) => `m-${k}`));
      assert.deepEqual(
        metaKeys(await ch.getChannelMetadata()),
        expected((k) => `m-${k}`),
      );
    });

    test('user metadata keys, and a uid named __proto__ owning metadata', async () => {
      const p = await loggedIn(server, 'pk-meta');
      const o = await loggedIn(far, 'pk-meta-o');
      clients.push(p, o);
      await p.setLocalUserMetadata(items(p, (k) => `u-${k}`));
      assert.deepEqual(
        metaKeys(await o.getUserMetadata('pk-meta')),
        expected((k) => `u-${k}`),
      );
    });

    test('a channel named __proto__ keeps its resume cursor: messages sent during a drop arrive once', async (t) => {
      const proxy = await CutProxy.start(server.port);
      t.after(() => proxy.close());
      const dropper = client(proxy.url);
      await dropper.login({ uid: 'pk-drop' });
      clients.push(dropper);
      const states = recordStates(dropper);
      const other = await loggedIn(far, 'pk-drop-other');
      clients.push(other);
      const got: string[] = [];
      const dropChs = KEYS.map((k) => dropper.createChannel(k));
      const otherChs = KEYS.map((k) => other.createChannel(k));
      dropChs.forEach((ch, n) => ch.on('ChannelMessage', (m) => got.push(`${KEYS[n]}:${m.text}`)));
      for (const ch of [...dropChs, ...otherChs]) await ch.join();
      proxy.cut();
      await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
      for (const ch of otherChs) await ch.sendMessage({ text: 'during' });
      proxy.restore();
      await until(() => states.at(-1) === 'CONNECTED/LOGIN_SUCCESS', 'CONNECTED again', 15_000);
      for (const [n, ch] of otherChs.entries()) await channelMarker(ch, dropChs[n]!);
      assert.deepEqual(
        got.filter((g) => !g.includes('marker-')).sort(),
        [...KEYS].sort().map((k) => `${k}:during`),
      );
    });
  });

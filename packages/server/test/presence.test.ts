import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import { client, CutProxy, loggedIn, testServer, until } from '@parley/testkit';

describe('presence', () => {
  let server: RunningServer;
  before(async () => {
    // Timers scaled down from 6 s / 30 s so the test runs in seconds.
    server = await testServer({
      unreachableAfterMs: 600,
      resumeWindowMs: 2000,
      sweepIntervalMs: 100,
    });
  });
  after(() => server.close());

  test('queryPeersOnlineStatus answers booleans', async () => {
    const a = await loggedIn(server, 'pq-a');
    const b = await loggedIn(server, 'pq-b');
    assert.deepEqual(await a.queryPeersOnlineStatus(['pq-b', 'pq-nobody', 'pq-a']), {
      'pq-b': true,
      'pq-nobody': false,
      'pq-a': true,
    });
    await b.logout();
    assert.deepEqual(await a.queryPeersOnlineStatus(['pq-b']), { 'pq-b': false });
    await a.logout();
  });

  test('a subscription reports a snapshot, then ONLINE, UNREACHABLE after silence, and OFFLINE after the window', async () => {
    const watcher = await loggedIn(server, 'ps-w');
    const seen: string[] = [];
    watcher.on('PeersOnlineStatusChanged', (st) => {
      for (const [k, v] of Object.entries(st)) seen.push(`${k}:${v}`);
    });
    await watcher.subscribePeersOnlineStatus(['ps-peer']);
    await until(() => seen.length === 1, 'snapshot');
    const proxy = await CutProxy.start(server.port);
    const peer = client(proxy.url);
    await peer.login({ uid: 'ps-peer' });
    await until(() => seen.length === 2, 'ONLINE');
    proxy.cut();
    await until(() => seen.length === 3, 'UNREACHABLE', 5000);
    await until(() => seen.length === 4, 'OFFLINE', 5000);
    assert.deepEqual(seen, [
      'ps-peer:OFFLINE',
      'ps-peer:ONLINE',
      'ps-peer:UNREACHABLE',
      'ps-peer:OFFLINE',
    ]);
    assert.deepEqual(await watcher.queryPeersOnlineStatus(['ps-peer']), { 'ps-peer': false });
    await peer.logout();
    await proxy.close();
    await watcher.logout();
  });

  test('a peer that comes back before the window ends goes UNREACHABLE then ONLINE', async () => {
    const watcher = await loggedIn(server, 'pr-w');
    const seen: string[] = [];
    watcher.on('PeersOnlineStatusChanged', (st) => {
      for (const [k, v] of Object.entries(st)) seen.push(`${k}:${v}`);
    });
    const proxy = await CutProxy.start(server.port);
    const peer = client(proxy.url);
    await peer.login({ uid: 'pr-peer' });
    await watcher.subscribePeersOnlineStatus(['pr-peer']);
    await until(() => seen.length === 1, 'snapshot');
    proxy.cut();
    await until(() => seen.length === 2, 'UNREACHABLE', 5000);
    proxy.restore();
    await until(() => seen.length === 3, 'ONLINE again', 5000);
    assert.deepEqual(seen, ['pr-peer:ONLINE', 'pr-peer:UNREACHABLE', 'pr-peer:ONLINE']);
    await Promise.all([peer.logout(), watcher.logout()]);
    await proxy.close();
  });

  test('unsubscribe stops reports; queryPeersBySubscriptionOption lists what is subscribed', async () => {
    const w = await loggedIn(server, 'pu-w');
    const seen: string[] = [];
    w.on('PeersOnlineStatusChanged', (st) => seen.push(...Object.keys(st)));
    await w.subscribePeersOnlineStatus(['pu-1', 'pu-2']);
    assert.deepEqual((await w.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort(), [
      'pu-1',
      'pu-2',
    ]);
    await w.unsubscribePeersOnlineStatus(['pu-1']);
    assert.deepEqual(await w.queryPeersBySubscriptionOption('ONLINE_STATUS'), ['pu-2']);
    await until(() => seen.length === 2, 'snapshot');
    const p1 = await loggedIn(server, 'pu-1');
    const p2 = await loggedIn(server, 'pu-2');
    await until(() => seen.length === 3, 'pu-2 online');
    assert.deepEqual(seen.slice(2), ['pu-2']);
    await Promise.all([w.logout(), p1.logout(), p2.logout()]);
  });
});

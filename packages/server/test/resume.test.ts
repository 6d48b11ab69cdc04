import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import {
  client,
  CutProxy,
  loggedIn,
  peerMarker,
  recordStates,
  ManualClock,
  testServer,
  until,
} from '@parley/testkit';

describe('reconnect and resume', () => {
  // The server's clock moves only when a test says so: the cut lasts 5 s on it, whatever the
  // real time the reconnect takes (under the 6 s after which a user shows UNREACHABLE).
  const clock = new ManualClock();
  let server: RunningServer;
  before(async () => {
    server = await testServer({ clock });
  });
  after(() => server.close());

  test('a 5 s cut: RECONNECTING then CONNECTED, no presence change seen, every peer message once and in order', async () => {
    const proxy = await CutProxy.start(server.port);
    const receiver = client(proxy.url);
    const got: string[] = [];
    receiver.on('MessageFromPeer', (m) => got.push((m as { text: string }).text));
    await receiver.login({ uid: 'resume-rx' });
    const states = recordStates(receiver);

    const watcher = await loggedIn(server, 'resume-watcher');
    const presence: unknown[] = [];
    watcher.on('PeersOnlineStatusChanged', (st) => presence.push(st));
    await watcher.subscribePeersOnlineStatus(['resume-rx']);
    await until(() => presence.length === 1, 'presence snapshot');
    assert.deepEqual(presence, [{ 'resume-rx': 'ONLINE' }]);

    const sender = await loggedIn(server, 'resume-tx');
    const sent: string[] = [];
    for (let k = 0; k < 20; k++) sent.push(`before-${k}`);
    for (const t of sent) await sender.sendMessageToPeer({ text: t }, 'resume-rx');
    await until(() => got.length === 20, 'messages before the cut');

    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
    const during: string[] = [];
    for (let k = 0; k < 50; k++) during.push(`during-${k}`);
    const results = [];
    for (const t of during) results.push(await sender.sendMessageToPeer({ text: t }, 'resume-rx'));
    sent.push(...during);
    await clock.advance(5000);
    proxy.restore();
    await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'CONNECTED again', 15_000);
    for (let k = 0; k < 10; k++) {
      const t = `after-${k}`;
      sent.push(t);
      const r = await sender.sendMessageToPeer({ text: t }, 'resume-rx');
      assert.equal(r.hasPeerReceived, true);
    }
    await until(() => got.length >= sent.length, 'every message', 10_000);
    await peerMarker(sender, receiver, 'resume-rx'); // a duplicate would have come before it
    assert.deepEqual(
      got.filter((t) => !t.startsWith('marker-')),
      sent,
      'each message exactly once, in send order',
    );
    assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    assert.ok(
      results.every((r) => r.hasPeerReceived === false),
      'sent while the receiver was away: not yet received',
    );
    assert.deepEqual(presence, [{ 'resume-rx': 'ONLINE' }], 'watchers saw no presence change');
    await Promise.all([receiver.logout(), watcher.logout(), sender.logout()]);
    await proxy.close();
  });

  test('a new login of a user who dropped takes over the messages the old session never delivered', async () => {
    const proxy = await CutProxy.start(server.port);
    const old = client(proxy.url);
    await old.login({ uid: 'resume-takeover' });
    const states = recordStates(old);
    proxy.cut();
    await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
    const sender = await loggedIn(server, 'resume-takeover-tx');
    for (const text of ['one', 'two', 'three']) {
      assert.deepEqual(await sender.sendMessageToPeer({ text }, 'resume-takeover'), {
        hasPeerReceived: false,
      });
    }
    const fresh = client(server);
    const got: string[] = [];
    fresh.on('MessageFromPeer', (m) => got.push((m as { text: string }).text));
    await fresh.login({ uid: 'resume-takeover' });
    await until(() => got.length === 3, 'the undelivered messages');
    assert.deepEqual(got, ['one', 'two', 'three']);
    await Promise.all([old.logout(), fresh.logout(), sender.logout()]);
    await proxy.close();
  });

  test('subscriptions survive a resume: changes during the cut arrive after it', async () => {
    const proxy = await CutProxy.start(server.port);
    const watcher = client(proxy.url);
    const presence: Record<string, string>[] = [];
    watcher.on('PeersOnlineStatusChanged', (st) => presence.push({ ...st }));
    await watcher.login({ uid: 'resume-w2' });
    const states = recordStates(watcher);
    await watcher.subscribePeersOnlineStatus(['resume-peer2']);
    await until(() => presence.length === 1, 'snapshot');
    // A second watcher, never cut, shows when the server has told the watchers.
    const direct = await loggedIn(server, 'resume-w2-direct');
    const directSaw: Record<string, string>[] = [];
    direct.on('PeersOnlineStatusChanged', (st) => directSaw.push({ ...st }));
    await direct.subscribePeersOnlineStatus(['resume-peer2']);
    await until(() => directSaw.length === 1, 'snapshot of the direct watcher');
    proxy.cut();
    await until(() => states.length === 1, 'RECONNECTING');
    const peer = await loggedIn(server, 'resume-peer2');
    await until(() => directSaw.length === 2, 'the change reaches the watchers');
    proxy.restore();
    await until(() => presence.length === 2, 'change after resume', 10_000);
    assert.deepEqual(presence, [{ 'resume-peer2': 'OFFLINE' }, { 'resume-peer2': 'ONLINE' }]);
    assert.deepEqual(await watcher.queryPeersBySubscriptionOption('ONLINE_STATUS'), [
      'resume-peer2',
    ]);
    await Promise.all([peer.logout(), watcher.logout(), direct.logout()]);
    await proxy.close();
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  client,
  CutProxy,
  loggedIn,
  recordStates,
  tempDir,
  testServer,
  until,
} from '@parley/testkit';

test('server restart: RECONNECTING then CONNECTED, subscriptions restored, stored messages delivered as offline', async (t) => {
  const dataDir = tempDir();
  let server = await testServer({ dataDir });
  t.after(() => server.close());
  // The clients' address outlives the server: the restarted one listens on a new port.
  const front = await CutProxy.start(server.port);
  t.after(() => front.close());
  const watcher = client(front.url, { reconnectMaxDelayMs: 200 });
  const presence: Record<string, string>[] = [];
  watcher.on('PeersOnlineStatusChanged', (st) => presence.push({ ...st }));
  await watcher.login({ uid: 'restart-w' });
  const states = recordStates(watcher);
  await watcher.subscribePeersOnlineStatus(['restart-peer']);
  await until(() => presence.length === 1, 'snapshot');

  const sender = await loggedIn(server, 'restart-tx');
  const r = await sender.sendMessageToPeer({ text: 'kept across restart' }, 'restart-offline', {
    enableOfflineMessaging: true,
  });
  assert.equal(r.hasPeerReceived, false);
  await sender.logout();

  await server.close();
  await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
  server = await testServer({ dataDir });
  front.retarget(server.port);
  await until(() => states.length === 2, 'CONNECTED after restart', 15_000);
  assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);

  // The SDK restored the subscription by itself: the peer coming online is reported.
  await until(() => presence.length >= 2, 'snapshot after restore');
  const peer = await loggedIn(server, 'restart-peer');
  await until(() => presence.some((p) => p['restart-peer'] === 'ONLINE'), 'ONLINE after restart');

  const offline = client(server);
  const got: { text: string; off: boolean | undefined }[] = [];
  offline.on('MessageFromPeer', (m, _from, props) =>
    got.push({ text: (m as { text: string }).text, off: props.isOfflineMessage }),
  );
  await offline.login({ uid: 'restart-offline' });
  await until(() => got.length === 1, 'offline message');
  assert.deepEqual(got, [{ text: 'kept across restart', off: true }]);
  await Promise.all([offline.logout(), peer.logout(), watcher.logout()]);
});

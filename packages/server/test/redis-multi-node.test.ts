import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import {
  client,
  loggedIn,
  recordStates,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

describe('two nodes on one Redis', () => {
  let n1: RunningServer;
  let n2: RunningServer;
  before(async () => {
    const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix(), sendRateCount: 1_000_000 };
    n1 = await testServer(shared);
    n2 = await testServer(shared);
  });
  after(async () => {
    await n1.close();
    await n2.close();
  });

  test('peer messages cross nodes in order, acknowledged by the receiver', async () => {
    const a = await loggedIn(n1, 'mn-a');
    const b = client(n2);
    const got: string[] = [];
    b.on('MessageFromPeer', (m, from) => got.push(`${from}:${(m as { text: string }).text}`));
    await b.login({ uid: 'mn-b' });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, k) => a.sendMessageToPeer({ text: String(k) }, 'mn-b')),
    );
    assert.ok(results.every((r) => r.hasPeerReceived));
    await until(() => got.length === 200, 'all messages');
    assert.deepEqual(
      got,
      Array.from({ length: 200 }, (_, k) => `mn-a:${k}`),
    );
    assert.deepEqual(await a.sendMessageToPeer({ text: 'x' }, 'mn-nobody'), {
      hasPeerReceived: false,
    });
    await Promise.all([a.logout(), b.logout()]);
  });

  test('presence queries and subscriptions see users of the other node', async () => {
    const w = await loggedIn(n1, 'mp-w');
    const seen: string[] = [];
    w.on('PeersOnlineStatusChanged', (st) =>
      seen.push(...Object.entries(st).map(([k, v]) => `${k}:${v}`)),
    );
    await w.subscribePeersOnlineStatus(['mp-peer']);
    const p = await loggedIn(n2, 'mp-peer');
    assert.deepEqual(await w.queryPeersOnlineStatus(['mp-peer']), { 'mp-peer': true });
    await p.logout();
    await until(() => seen.length === 3, 'OFFLINE');
    assert.deepEqual(seen, ['mp-peer:OFFLINE', 'mp-peer:ONLINE', 'mp-peer:OFFLINE']);
    await w.logout();
  });

  test('channel messages, member events, counts, attributes and metadata across nodes', async () => {
    const a = await loggedIn(n1, 'mc-a');
    const b = await loggedIn(n2, 'mc-b');
    const ca = a.createChannel('mc-room');
    const cb = b.createChannel('mc-room');
    const aSaw: string[] = [];
    ca.on('MemberJoined', (u) => aSaw.push(`joined:${u}`));
    ca.on('ChannelMessage', (m, from) => aSaw.push(`${from}:${(m as { text: string }).text}`));
    ca.on('AttributesUpdated', (attrs) => aSaw.push(`topic:${attrs.topic?.value}`));
    await ca.join();
    await cb.join();
    for (let k = 0; k < 20; k++) await cb.sendMessage({ text: String(k) });
    await b.setChannelAttributes(
      'mc-room',
      { topic: 'shared' },
      { enableNotificationToChannelMembers: true },
    );
    await until(() => aSaw.length === 22, 'events on node 1');
    assert.deepEqual(aSaw, [
      'joined:mc-b',
      ...Array.from({ length: 20 }, (_, k) => `mc-b:${k}`),
      'topic:shared',
    ]);
    assert.deepEqual((await ca.getMembers()).sort(), ['mc-a', 'mc-b']);
    assert.deepEqual(await a.getChannelMemberCount(['mc-room']), { 'mc-room': 2 });
    await b.setLocalUserAttributes({ from: 'node2' });
    assert.deepEqual(await a.getUserAttributes('mc-b'), { from: 'node2' });
    const item = b.createMetadataItem();
    item.setKey('k');
    item.setValue('v');
    await cb.setChannelMetadata([item]);
    assert.equal((await ca.getChannelMetadata()).items[0]?.getValue(), 'v');
    await Promise.all([a.logout(), b.logout()]);
  });

  test('a call invitation between nodes: received, accepted, both sides end in their states', async () => {
    const caller = await loggedIn(n1, 'mi-caller');
    const callee = await loggedIn(n2, 'mi-callee');
    const seen: string[] = [];
    callee.on('RemoteInvitationReceived', (inv) => {
      seen.push(`callee:received:${inv.content}`);
      inv.on('RemoteInvitationAccepted', () => seen.push('callee:accepted'));
      inv.response = 'yes';
      inv.accept();
    });
    const inv = caller.createLocalInvitation('mi-callee');
    inv.content = 'ring';
    inv.on('LocalInvitationReceivedByPeer', () => seen.push('caller:receivedByPeer'));
    inv.on('LocalInvitationAccepted', (r) => seen.push(`caller:accepted:${r}`));
    inv.send();
    await until(() => seen.length === 4, 'the call is accepted');
    assert.deepEqual(seen, [
      'callee:received:ring',
      'caller:receivedByPeer',
      'caller:accepted:yes',
      'callee:accepted',
    ]);
    assert.equal(inv.state, 'ACCEPTED_BY_REMOTE');
    await Promise.all([caller.logout(), callee.logout()]);
  });

  test('logging in on one node aborts the same user on the other with REMOTE_LOGIN', async () => {
    const first = await loggedIn(n1, 'mr-user');
    const states = recordStates(first);
    // Each session n1 ends, until it is done (the store writes follow the kick).
    const ending: Promise<void>[] = [];
    const end = n1.sessions.end.bind(n1.sessions);
    n1.sessions.end = (session, why) => {
      const done = end(session, why);
      ending.push(done);
      return done;
    };
    const second = await loggedIn(n2, 'mr-user');
    await until(() => states.length === 1, 'ABORTED');
    assert.deepEqual(states, ['ABORTED/REMOTE_LOGIN']);
    // n1 is done with the kicked session: an offline mark from it would be written by now.
    await until(() => ending.length === 1, 'n1 ends the old session');
    await ending[0];
    const probe = await loggedIn(n1, 'mr-probe');
    assert.deepEqual(await probe.queryPeersOnlineStatus(['mr-user']), { 'mr-user': true });
    await Promise.all([first.logout(), second.logout(), probe.logout()]);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  APP,
  client,
  CutProxy,
  isMarker,
  loggedIn,
  peerMarker,
  recordStates,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

test('a client whose reconnect lands on another node resumes its session there: undelivered messages, channels, subscriptions and presence carry over', async (t) => {
  const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix(), sendRateCount: 1_000_000 };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  const toN1 = await CutProxy.start(n1.port);
  const toN2 = await CutProxy.start(n2.port);
  t.after(async () => {
    await toN1.close();
    await toN2.close();
    await n1.close();
    await n2.close();
  });
  toN2.cut(); // the mover cannot reach n2 until the test lets it

  const mover = client([toN1.url, toN2.url]);
  const got: number[] = [];
  mover.on('MessageFromPeer', (m) => {
    if (!isMarker(m)) got.push(Number(m.text));
  });
  const moverSaw: string[] = [];
  mover.on('PeersOnlineStatusChanged', (st) =>
    moverSaw.push(...Object.entries(st).map(([k, v]) => `${k}:${v}`)),
  );
  await mover.login({ uid: 'ho-mover' });
  await mover.setLocalUserAttributes({ role: 'host' });
  await mover.subscribePeersOnlineStatus(['ho-later']);
  await mover.subscribeUserMetadata('ho-member');
  const moverMeta: string[] = [];
  mover.on('UserMetaDataUpdated', (uid, data) =>
    moverMeta.push(`${uid}:${data.items.map((i) => `${i.getKey()}=${i.getValue()}`).join(',')}`),
  );
  const note = mover.createMetadataItem();
  note.setKey('status');
  note.setValue('busy');
  await mover.setLocalUserMetadata([note]);
  const moverRoom = mover.createChannel('ho-room');
  const moverHeard: string[] = [];
  moverRoom.on('ChannelMessage', (m, from) =>
    moverHeard.push(`${from}:${(m as { text: string }).text}`),
  );
  await moverRoom.join();
  const sid = n1.sessions.hub.byUserId(APP, 'ho-mover')?.sid;
  assert.ok(sid, 'the mover is on n1');

  const sender = await loggedIn(n1, 'ho-sender');
  const member = await loggedIn(n2, 'ho-member');
  const presence: string[] = [];
  member.on('PeersOnlineStatusChanged', (st) =>
    presence.push(...Object.entries(st).map(([k, v]) => `${k}:${v}`)),
  );
  await member.subscribePeersOnlineStatus(['ho-mover']);
  const room = member.createChannel('ho-room');
  const memberEvents: string[] = [];
  room.on('MemberJoined', (u) => memberEvents.push(`joined:${u}`));
  room.on('MemberLeft', (u) => memberEvents.push(`left:${u}`));
  room.on('ChannelMessage', (m, from) =>
    memberEvents.push(`${from}:${(m as { text: string }).text}`),
  );
  await room.join();
  const states = recordStates(mover);

  let seq = 0;
  const acknowledged: number[] = [];
  const send = async () => {
    const n = seq++;
    const r = await sender.sendMessageToPeer({ text: String(n) }, 'ho-mover');
    if (r.hasPeerReceived) acknowledged.push(n);
    return r.hasPeerReceived;
  };
  for (let k = 0; k < 20; k++) assert.equal(await send(), true);

  // The mover's link to n1 breaks; n1 keeps its session for the resume window.
  toN1.cut();
  await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'the mover notices');
  await until(() => n1.sessions.hub.bySessionId(sid)?.attached === false, 'n1 sees it gone');
  const gap: number[] = [];
  for (let k = 0; k < 20; k++) {
    gap.push(seq);
    assert.equal(await send(), false, 'the receiver is away: not received (yet)');
  }

  // The load balancer now sends the reconnect to n2, which takes the session over from n1.
  toN2.restore();
  let sending = true;
  const traffic = (async () => {
    while (sending) await send(); // one in flight: each waits for its answer
  })();
  await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'the mover is back', 15_000);
  const after = acknowledged.length;
  await until(() => acknowledged.length >= after + 20, 'traffic after the move');
  sending = false;
  await traffic;
  assert.deepEqual(states, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
  assert.equal(n2.sessions.hub.bySessionId(sid)?.uid, 'ho-mover', 'same session, now on n2');
  assert.equal(n1.sessions.hub.bySessionId(sid), undefined, 'n1 let it go');

  await until(() => got.length >= acknowledged.length, 'deliveries');
  await peerMarker(sender, mover, 'ho-mover'); // a duplicate would have come before it
  assert.equal(new Set(got).size, got.length, 'no duplicates');
  assert.deepEqual(
    [...got].sort((x, y) => x - y),
    got,
    'in order',
  );
  assert.deepEqual(
    gap.filter((n) => !got.includes(n)),
    [],
    'messages sent while it was away arrive after the move',
  );
  assert.deepEqual(
    acknowledged.filter((n) => !got.includes(n)),
    [],
    'every acknowledged message arrived',
  );

  // Nobody saw the mover leave: no OFFLINE, no MemberLeft/MemberJoined, attributes kept.
  assert.deepEqual(presence, ['ho-mover:ONLINE']);
  assert.deepEqual([...memberEvents], [], 'no member events'); // (a copy: no type narrowing)
  assert.deepEqual(await member.getUserAttributes('ho-mover'), { role: 'host' });
  const kept = await member.getUserMetadata('ho-mover');
  assert.deepEqual(
    kept.items.map((i) => `${i.getKey()}=${i.getValue()}`),
    ['status=busy'],
  );
  assert.deepEqual((await room.getMembers()).sort(), ['ho-member', 'ho-mover']);
  assert.equal((await member.getChannelMemberCount(['ho-room']))['ho-room'], 2);

  // Its channel and its presence subscription work from n2.
  await room.sendMessage({ text: 'to the mover' });
  await moverRoom.sendMessage({ text: 'from the mover' });
  await until(() => moverHeard.includes('ho-member:to the mover'), 'channel message to the mover');
  await until(
    () => memberEvents.includes('ho-mover:from the mover'),
    'channel message from the mover',
  );
  const mood = member.createMetadataItem();
  mood.setKey('mood');
  mood.setValue('fine');
  await member.setLocalUserMetadata([mood]);
  await until(() => moverMeta.includes('ho-member:mood=fine'), 'metadata event after the move');
  const later = await loggedIn(n1, 'ho-later');
  await until(() => moverSaw.includes('ho-later:ONLINE'), 'presence event after the move');
  assert.deepEqual(moverSaw, ['ho-later:OFFLINE', 'ho-later:ONLINE']);

  await mover.logout();
  await until(() => presence.includes('ho-mover:OFFLINE'), 'logout on n2 ends the moved session');
  await until(() => memberEvents.includes('left:ho-mover'), 'and leaves its channel');
  await Promise.all([sender.logout(), member.logout(), later.logout()]);
});

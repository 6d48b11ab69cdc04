import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  channelMarker,
  client,
  CutProxy,
  loggedIn,
  ManualClock,
  recordStates,
  tempDir,
  testServer,
  until,
} from '@parley/testkit';

test('a member resumes after a 5 s drop: no MemberLeft/MemberJoined for others, every channel message once', async (t) => {
  // The drop lasts 5 s on the server's clock, whatever the real time the reconnect takes.
  const clock = new ManualClock();
  const server = await testServer({ clock });
  t.after(() => server.close());
  const proxy = await CutProxy.start(server.port);
  t.after(() => proxy.close());
  const dropper = client(proxy.url);
  await dropper.login({ uid: 'cr-drop' });
  const states = recordStates(dropper);
  const dropCh = dropper.createChannel('cr-room');
  const got: string[] = [];
  const dropperMembers: string[] = [];
  dropCh.on('ChannelMessage', (m) => got.push((m as { text: string }).text));
  dropCh.on('MemberJoined', (u) => dropperMembers.push(`Joined:${u}`));
  await dropCh.join();

  const other = await loggedIn(server, 'cr-other');
  const otherCh = other.createChannel('cr-room');
  const otherMembers: string[] = [];
  otherCh.on('MemberJoined', (u) => otherMembers.push(`Joined:${u}`));
  otherCh.on('MemberLeft', (u) => otherMembers.push(`Left:${u}`));
  await otherCh.join();
  await until(() => dropperMembers.length === 1, 'dropper sees other join');

  const sent: string[] = [];
  for (let n = 0; n < 5; n++) {
    sent.push(`before-${n}`);
    await otherCh.sendMessage({ text: `before-${n}` });
  }
  await until(() => got.length === 5, 'messages before the drop');
  proxy.cut();
  await until(() => states.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
  for (let n = 0; n < 40; n++) {
    sent.push(`during-${n}`);
    await otherCh.sendMessage({ text: `during-${n}` });
  }
  await clock.advance(5000);
  proxy.restore();
  await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'CONNECTED again', 15_000);
  for (let n = 0; n < 5; n++) {
    sent.push(`after-${n}`);
    await otherCh.sendMessage({ text: `after-${n}` });
  }
  await until(() => got.length >= sent.length, 'every message', 10_000);
  await channelMarker(otherCh, dropCh); // a duplicate would have come before it
  assert.deepEqual(
    got.filter((t) => !t.startsWith('marker-')),
    sent,
    'each channel message once, in order',
  );
  assert.deepEqual(otherMembers, [], 'no MemberLeft / MemberJoined for a resume');
  assert.deepEqual((await otherCh.getMembers()).sort(), ['cr-drop', 'cr-other']);
  await dropCh.sendMessage({ text: 'back' });
  await Promise.all([dropper.logout(), other.logout()]);
});

test('after a server restart the SDK rejoins its channels by itself', async (t) => {
  const dataDir = tempDir();
  let server = await testServer({ dataDir });
  t.after(() => server.close());
  // The client's address outlives the server: the restarted one listens on a new port.
  const front = await CutProxy.start(server.port);
  t.after(() => front.close());
  const a = await loggedIn(front.url, 'rj-a');
  const ch = a.createChannel('rj-room');
  const got: string[] = [];
  ch.on('ChannelMessage', (m) => got.push((m as { text: string }).text));
  await ch.join();
  const states = recordStates(a);
  await server.close();
  server = await testServer({ dataDir });
  front.retarget(server.port);
  await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'reconnected', 15_000);
  const b = await loggedIn(server, 'rj-b');
  // The rejoin is the SDK's own doing after CONNECTED: b joins and sees a there, or arrive.
  const bch = b.createChannel('rj-room');
  const joined: string[] = [];
  bch.on('MemberJoined', (u) => joined.push(u));
  await bch.join();
  const atJoin = await bch.getMembers();
  await until(() => atJoin.includes('rj-a') || joined.includes('rj-a'), 'rj-a back in the room');
  const members = await bch.getMembers();
  assert.deepEqual(members.sort(), ['rj-a', 'rj-b']);
  await bch.sendMessage({ text: 'after restart' });
  await until(() => got.length === 1, 'message after restart');
  assert.deepEqual(got, ['after restart']);
  await Promise.all([a.logout(), b.logout()]);
});

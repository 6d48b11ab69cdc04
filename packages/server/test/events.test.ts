import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRtmToken007 } from '@parley/token';
import {
  APP,
  client,
  CutProxy,
  eventually,
  loggedIn,
  ManualClock,
  RawSocket,
  recordStates,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';
import type { RunningServer, ServerEvent } from '../src/index.js';

/**
 * Every fact of the server, as `type:detail` lines, for exact sequence assertions (the
 * operational events — per-node fan-outs, REST calls, webhook attempts — are left out).
 */
function record(server: RunningServer, only?: (e: ServerEvent) => boolean): string[] {
  const seen: string[] = [];
  server.events.onAny((e) => {
    if (only && !only(e)) return;
    const line = describe(e);
    if (line !== '') seen.push(line);
  });
  return seen;
}

function describe(e: ServerEvent): string {
  switch (e.type) {
    case 'login':
      return `login:${e.uid}`;
    case 'logout':
      return `logout:${e.uid}:${e.reason}`;
    case 'join':
    case 'leave':
      return `${e.type}:${e.uid}@${e.channel}:${e.count}`;
    case 'peer.message':
      return `peer:${e.from}>${e.to}:${e.outcome}:${e.message.k === 'T' ? e.message.x : 'raw'}`;
    case 'channel.message':
      return `channel:${e.from}@${e.channel}:${e.message.k === 'T' ? e.message.x : 'raw'}`;
    case 'attributes.changed':
      return `attrs:${e.owner}:${e.id}:${[...e.attributes].map(([k, v]) => `${k}=${v}`).join(',')}`;
    case 'metadata.changed':
      return `meta:${e.owner}:${e.id}:${e.majorRevision}`;
    case 'invitation':
      return `inv:${e.caller}>${e.callee}:${e.phase}${e.reason ? ':' + e.reason : ''}`;
    case 'ban':
      return `ban:${e.uid}:${e.untilMs > 0 ? 'on' : 'off'}:${e.kicked ? 'kicked' : 'none'}`;
    case 'node.down':
      return `node.down:${e.sessions}`;
    case 'login.refused':
      return `login.refused:${e.uid}:${e.code}`;
    case 'channel.fanout':
    case 'rest.request':
    case 'webhook.delivery':
      return '';
  }
}

test('a session’s facts are each emitted once, in order: login, join, messages and their outcomes, attribute and metadata changes, leave, logout', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const seen = record(server);
  const alice = await loggedIn(server, 'ev-alice');
  const bob = await loggedIn(server, 'ev-bob');
  const room = alice.createChannel('ev-room');
  await room.join();
  const bobRoom = bob.createChannel('ev-room');
  const got: string[] = [];
  bobRoom.on('ChannelMessage', (m) => got.push((m as { text: string }).text));
  await bobRoom.join();
  await room.sendMessage({ text: 'hello room' });
  await until(() => got.length === 1, 'bob has the channel message');
  assert.deepEqual(await alice.sendMessageToPeer({ text: 'hi bob' }, 'ev-bob'), {
    hasPeerReceived: true,
  });
  const offline = { enableOfflineMessaging: true };
  await alice.sendMessageToPeer({ text: 'kept' }, 'ev-carol', offline);
  await alice.sendMessageToPeer({ text: 'lost' }, 'ev-carol');
  await alice.setLocalUserAttributes({ mood: 'fine' });
  await alice.setChannelAttributes('ev-room', { topic: 'tests' });
  const item = alice.createMetadataItem();
  item.setKey('k');
  item.setValue('v');
  await alice.setLocalUserMetadata([item]);
  await room.leave();
  await alice.logout();
  await until(() => seen.includes('logout:ev-alice:logout'), 'the logout');
  assert.deepEqual(seen, [
    'login:ev-alice',
    'login:ev-bob',
    'join:ev-alice@ev-room:1',
    'join:ev-bob@ev-room:2',
    'channel:ev-alice@ev-room:hello room',
    'peer:ev-alice>ev-bob:delivered:hi bob',
    'peer:ev-alice>ev-carol:stored:kept',
    'peer:ev-alice>ev-carol:dropped:lost',
    'attrs:user:ev-alice:mood=fine',
    'attrs:channel:ev-room:topic=tests',
    'meta:user:ev-alice:1',
    'leave:ev-alice@ev-room:1',
    // The session's end clears the user's attributes and metadata, then the user is offline.
    'attrs:user:ev-alice:',
    'meta:user:ev-alice:2',
    'logout:ev-alice:logout',
  ]);
  await bob.logout();
});

test('events come after the store write that made them true: a joiner is a member, a logged-out user is offline', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const checks: Promise<string>[] = [];
  server.events.on('join', (e) => {
    // The memory store answers from its state at the call: what the emitter had written.
    checks.push(
      server.backend.channels.members(e.app, e.channel, 10).then((m) => `join:${m.join()}`),
    );
  });
  server.events.on('logout', (e) => {
    checks.push(server.backend.users.getPresence(e.app, [e.uid]).then(([s]) => `logout:${s}`));
  });
  const c = await loggedIn(server, 'ev-writer');
  await c.createChannel('ev-written').join();
  await c.logout();
  await until(() => checks.length === 2, 'both events');
  assert.deepEqual(await Promise.all(checks), ['join:ev-writer', 'logout:OFFLINE']);
});

test('logout reasons: a login elsewhere, a ban, an expired token, a resume window that passed', async (t) => {
  const clock = new ManualClock();
  const cert = '5CFd2fd1755d40ecb72977518be15d3b';
  // The clients ping on real time, so the server's clock, advanced past these, would take every
  // session for gone: the windows are longer than the token's life.
  const server = await testServer({
    clock,
    apps: [{ appId: APP }, { appId: 'ev-cert', appCertificate: cert }],
    resumeWindowMs: 120_000,
    unreachableAfterMs: 120_000,
  });
  t.after(() => server.close());
  const seen = record(server, (e) => e.type === 'logout' || e.type === 'ban');

  const first = await loggedIn(server, 'ev-twice');
  const second = await loggedIn(server, 'ev-twice');
  await until(() => seen.length === 1, 'the replaced session ends');
  assert.deepEqual(seen.splice(0), ['logout:ev-twice:remote-login']);

  const banned = await loggedIn(server, 'ev-banned');
  assert.equal(await server.sessions.ban(APP, 'ev-banned', clock.now() + 60_000), true);
  await until(() => seen.length === 2, 'the ban and its logout');
  assert.deepEqual(seen.splice(0).sort(), ['ban:ev-banned:on:kicked', 'logout:ev-banned:banned']);
  await first.logout().catch(() => undefined);
  await second.logout();
  await banned.logout().catch(() => undefined);
  assert.deepEqual(seen.splice(0), ['logout:ev-twice:logout']);

  const token = buildRtmToken007('ev-cert', cert, 'ev-token', 60);
  const expiring = client(server, {}, 'ev-cert');
  await expiring.login({ uid: 'ev-token', token });
  const expiringStates = recordStates(expiring);
  await clock.advance(61_000);
  await until(() => seen.length === 1, 'the expired session ends');
  assert.deepEqual(seen.splice(0), ['logout:ev-token:expired']);
  assert.deepEqual(expiringStates, ['ABORTED/TOKEN_EXPIRED']);

  const proxy = await CutProxy.start(server.port);
  t.after(() => proxy.close());
  const away = await loggedIn(proxy.url, 'ev-away');
  proxy.cut();
  await until(() => server.hub.byUserId(APP, 'ev-away')?.attached === false, 'the drop is seen');
  await clock.advance(server.config.resumeWindowMs + server.config.sweepIntervalMs);
  await until(() => seen.length === 1, 'the session whose window passed ends');
  assert.deepEqual(seen.splice(0), ['logout:ev-away:timeout']);
  await away.logout().catch(() => undefined);
});

test('peer messages to a user who is reconnecting are pending; each message has one event', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const seen = record(server, (e) => e.type === 'peer.message');
  const sender = await loggedIn(server, 'ev-sender');
  const raw = await RawSocket.open(server.url);
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'ev-dropper' })).t, 'ok');
  raw.close();
  await until(() => server.hub.byUserId(APP, 'ev-dropper')?.attached === false, 'the drop');
  assert.deepEqual(await sender.sendMessageToPeer({ text: 'wait' }, 'ev-dropper'), {
    hasPeerReceived: false,
  });
  assert.deepEqual(seen, ['peer:ev-sender>ev-dropper:pending:wait']);
  await sender.logout();
});

test('invitation phases, each once: sent, received, accepted, confirmed; refused; canceled; an expired one fails', async (t) => {
  const clock = new ManualClock();
  // Longer than the invitation's life: the clients' real-time pings do not move this clock.
  const server = await testServer({ clock, resumeWindowMs: 120_000, unreachableAfterMs: 120_000 });
  t.after(() => server.close());
  const seen = record(server, (e) => e.type === 'invitation');
  const caller = await loggedIn(server, 'ev-caller');
  const callee = await loggedIn(server, 'ev-callee');
  const answers = ['accept', 'refuse', 'ignore'];
  callee.on('RemoteInvitationReceived', (inv) => {
    const a = answers.shift();
    if (a === 'accept') inv.accept();
    else if (a === 'refuse') inv.refuse();
  });
  const done = (inv: ReturnType<typeof caller.createLocalInvitation>, e: string) =>
    new Promise<void>((r) => inv.on(e as 'LocalInvitationAccepted', () => r()));

  const accepted = caller.createLocalInvitation('ev-callee');
  const acceptedDone = done(accepted, 'LocalInvitationAccepted');
  accepted.send();
  await acceptedDone;
  await until(() => seen.includes('inv:ev-caller>ev-callee:confirmed'), 'the confirm');
  const refused = caller.createLocalInvitation('ev-callee');
  const refusedDone = done(refused, 'LocalInvitationRefused');
  refused.send();
  await refusedDone;
  const ignored = caller.createLocalInvitation('ev-callee');
  const ignoredReceived = done(ignored, 'LocalInvitationReceivedByPeer');
  ignored.send();
  await ignoredReceived;
  const failed = done(ignored, 'LocalInvitationFailure');
  await clock.advance(server.config.invitationExpireMs);
  await failed;
  const canceled = caller.createLocalInvitation('ev-nobody');
  canceled.send();
  await until(() => seen.length === 11, 'the invitation to an offline user sent');
  const canceledDone = done(canceled, 'LocalInvitationCanceled');
  canceled.cancel();
  await canceledDone;
  await until(() => seen.length === 12, 'the cancel');
  const c = 'inv:ev-caller>ev-callee:';
  assert.deepEqual(seen, [
    c + 'sent',
    c + 'received',
    c + 'accepted',
    c + 'confirmed',
    c + 'sent',
    c + 'received',
    c + 'refused',
    c + 'sent',
    c + 'received',
    c + 'failed:INVITATION_EXPIRE',
    'inv:ev-caller>ev-nobody:sent',
    'inv:ev-caller>ev-nobody:canceled',
  ]);
  await caller.logout();
  await callee.logout();
});

test('on Redis, a node that stops: the node that takes its sessions emits their logouts and node.down, once', async (t) => {
  const prefix = uniquePrefix();
  const shared = { redisUrl: REDIS_URL, redisPrefix: prefix, heartbeatMs: 100 };
  const doomed = await testServer(shared);
  const clock = new ManualClock();
  const survivor = await testServer({ ...shared, clock, resumeWindowMs: 1000 });
  t.after(() => survivor.close());
  const seen = record(survivor, (e) => e.type === 'logout' || e.type === 'node.down');
  const raw = await RawSocket.open(doomed.url);
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'ev-stranded' })).t, 'ok');
  // Closing drains the sockets but ends no session: to the others the node simply went silent.
  await doomed.close();
  const lapsed = async () => (await survivor.backend.nodes.lapsedNodes()).includes(doomed.node);
  await eventually(lapsed, 'the doomed node lapses in Redis');
  await clock.advance(100);
  await clock.advance(1100);
  await until(() => seen.length === 2, 'the stranded session ends');
  assert.deepEqual(seen, ['logout:ev-stranded:timeout', 'node.down:1']);
});

test('on Redis, a message to a user of another node, and one whose receiver’s session is taken over by another node before it acknowledged: one delivered event each, on the sender’s node', async (t) => {
  const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix() };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  t.after(async () => {
    await n1.close();
    await n2.close();
  });
  const seen = record(n1, (e) => e.type === 'peer.message');
  const sender = await loggedIn(n1, 'ev-x-sender');
  const far = await loggedIn(n2, 'ev-x-far');
  assert.deepEqual(await sender.sendMessageToPeer({ text: 'across' }, 'ev-x-far'), {
    hasPeerReceived: true,
  });
  assert.deepEqual(seen, ['peer:ev-x-sender>ev-x-far:delivered:across']);

  // The receiver is on n1 and has the message, unacknowledged, when its resume lands on n2
  // (its first socket still open): the session moves with the message in its outbox.
  const first = await RawSocket.open(n1.url);
  const login = (await first.request({ t: 'login', i: 1, a: APP, u: 'ev-x-mover' })) as {
    r: { sid: string };
  };
  const sent = sender.sendMessageToPeer({ text: 'moved' }, 'ev-x-mover');
  await first.waitFor(() => first.frames.some((f) => f.t === 'msg'), 'the message on n1');
  const second = await RawSocket.open(n2.url);
  t.after(() => second.close());
  const resumed = await second.request({
    t: 'login',
    i: 1,
    a: APP,
    u: 'ev-x-mover',
    r: { sid: login.r.sid, s: 0 },
  });
  assert.equal((resumed.r as { resumed: boolean }).resumed, true);
  await second.waitFor(() => second.frames.some((f) => f.t === 'msg'), 'the replay on n2');
  const replayed = second.frames.find((f) => f.t === 'msg')!;
  second.send({ t: 'ack', s: replayed.s });
  assert.deepEqual(await sent, { hasPeerReceived: true });
  await until(() => seen.length === 2, 'the moved message’s event');
  assert.deepEqual(seen, [
    'peer:ev-x-sender>ev-x-far:delivered:across',
    'peer:ev-x-sender>ev-x-mover:delivered:moved',
  ]);
  first.close();
  await sender.logout();
  await far.logout();
});

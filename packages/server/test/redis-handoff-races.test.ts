import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import {
  APP,
  loggedIn,
  RawSocket,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

type Reply = Record<string, unknown> & { r?: { sid?: string; resumed?: boolean } };

async function nodes(t: test.TestContext, n: number, extra = {}): Promise<RunningServer[]> {
  const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix(), ...extra };
  const out: RunningServer[] = [];
  for (let k = 0; k < n; k++) out.push(await testServer(shared));
  t.after(async () => {
    for (const s of out) await s.close();
  });
  return out;
}

/** A raw client logs in on `server`, joins a room, and drops: its session waits there. */
async function droppedSession(server: RunningServer, uid: string, room: string): Promise<string> {
  const raw = await RawSocket.open(server.url);
  const sid = ((await raw.request({ t: 'login', i: 1, a: APP, u: uid })) as Reply).r!.sid!;
  assert.equal((await raw.request({ t: 'join', i: 2, c: room })).t, 'ok');
  raw.close();
  await until(() => server.sessions.hub.bySessionId(sid)?.attached === false, 'the drop is seen');
  return sid;
}

/** A promise the test resolves: a stubbed store call waits on it instead of sleeping. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const resume = (uid: string, sid: string) => ({
  t: 'login',
  i: 1,
  a: APP,
  u: uid,
  r: { sid, s: 0 },
});

test('two reconnects of one session racing to two other nodes: the one that starts fresh wins, the other hears REMOTE_LOGIN', async (t) => {
  const [n1, n2, n3] = await nodes(t, 3);
  const sid = await droppedSession(n1!, 'rr-user', 'rr-room');
  const sockets = [await RawSocket.open(n2!.url), await RawSocket.open(n3!.url)];
  const settled = await Promise.allSettled(sockets.map((s) => s.request(resume('rr-user', sid))));
  const replies = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value as Reply] : []));
  // The holder hands the session to one of them; the other starts fresh and replaces it.
  const fresh = replies.filter((r) => r.r?.resumed === false);
  assert.equal(fresh.length, 1, 'one fresh session');
  assert.ok(replies.filter((r) => r.r?.resumed).length <= 1, 'at most one resumed');
  const loser = sockets.find(
    (s) => !s.frames.some((f) => f.r && (f.r as Reply['r'])?.sid === fresh[0]!.r!.sid),
  )!;
  await until(
    () => loser.frames.some((f) => f.t === 'kick' && f.why === 'REMOTE_LOGIN'),
    'the other hears REMOTE_LOGIN',
  );
  const holder = await n1!.backend.users.locateUser(APP, 'rr-user');
  assert.equal(holder?.sid, fresh[0]!.r!.sid);
  await until(
    () => [n1!, n2!, n3!].every((n) => !n.sessions.hub.bySessionId(sid)),
    'no node keeps the old session',
  );
  for (const s of sockets) s.close();
});

test('two reconnects of one session racing to the same other node: the later waits, then resumes it there', async (t) => {
  const [n1, n2] = await nodes(t, 2);
  const sid = await droppedSession(n1!, 'rs-user', 'rs-room');
  const [sa, sb] = [await RawSocket.open(n2!.url), await RawSocket.open(n2!.url)];
  const [first, second] = await Promise.allSettled([
    sa.request(resume('rs-user', sid)),
    sb.request(resume('rs-user', sid)),
  ]);
  // The first socket resumed the session and then lost it to the second (it may be closed
  // before its reply leaves); the second resumed the same session, not a fresh one.
  assert.equal(second.status === 'fulfilled' && (second.value as Reply).r?.resumed, true);
  assert.ok(first.status === 'rejected' || (first.value as Reply).r?.resumed === true);
  await sa.waitClosed();
  const session = n2!.sessions.hub.bySessionId(sid);
  assert.equal(session?.attached, true, 'on the second socket');
  assert.equal(n1!.sessions.hub.bySessionId(sid), undefined);
  assert.deepEqual(await n2!.backend.channels.members(APP, 'rs-room', 10), ['rs-user']);
  sb.close();
});

test('the old node ends the session while handing it over: the new node starts fresh, not a session nobody reaches', async (t) => {
  const [n1, n2] = await nodes(t, 2);
  const sid = await droppedSession(n1!, 're-user', 're-room');
  // The move's Redis round trip is held until n1 has ended the session (its window ran out).
  const store = n1!.backend.users;
  const move = store.moveUser.bind(store);
  const moving = gate();
  const ended = gate();
  store.moveUser = async (...args) => {
    const moved = await move(...args);
    moving.open();
    await ended.opened;
    return moved;
  };
  const back = await RawSocket.open(n2!.url);
  const pending = back.request(resume('re-user', sid));
  await moving.opened;
  await n1!.sessions.end(n1!.sessions.hub.bySessionId(sid)!, 'expired');
  ended.open();
  const reply = (await pending) as Reply;
  assert.equal(reply.r?.resumed, false);
  assert.deepEqual(await n2!.backend.users.locateUser(APP, 're-user'), {
    sid: reply.r!.sid,
    node: n2!.sessions.node,
  });
  back.close();
});

test('events routed to the old node just before a move follow the user: a message and a ban', async (t) => {
  const [n1, n2] = await nodes(t, 2);
  const sid = await droppedSession(n1!, 'rl-user', 'rl-room');
  const back = await RawSocket.open(n2!.url);
  assert.equal(((await back.request(resume('rl-user', sid))) as Reply).r?.resumed, true);
  // What a sender and a ban that located the user on n1 a moment earlier publish there:
  const topic = `node/${n1!.sessions.node}`;
  const reply = { node: n1!.sessions.node, sid: 'nobody', i: 1, mid: 'x.1', ts: 0 };
  const msg = { mid: 'x.1', from: 'someone', m: { k: 'T', x: 'late' }, ts: Date.now() };
  const env = (e: unknown) => ({ t: 'u', a: APP, u: 'rl-user', e });
  await n1!.backend.broker.publish(topic, env({ t: 'msg', msg, off: false, reply }));
  await n1!.backend.broker.publish(topic, env({ t: 'kick', why: 'BANNED_BY_SERVER' }));
  await until(() => back.frames.some((f) => f.t === 'kick'), 'the ban reached the moved session');
  assert.ok(
    back.frames.some((f) => f.t === 'msg' && f.mid === 'x.1'),
    'the message too',
  );
  assert.equal((await back.waitClosed()).reason, 'BANNED_BY_SERVER');
});

test('malformed events on a node topic are ignored: the node keeps serving', async (t) => {
  const [n1] = await nodes(t, 1);
  const topic = `node/${n1!.sessions.node}`;
  for (const bad of [
    null,
    42,
    'x',
    {},
    { t: 'u' },
    { t: 'u', a: APP, u: 'x', e: null },
    { t: 'u', a: APP, u: 'x', e: { t: 'msg' }, via: 5 },
    { t: 'stale', a: APP, u: 'x' },
    { t: 'given', rid: 1, state: 5 },
  ])
    await n1!.backend.broker.publish(topic, bad);
  const a = await loggedIn(n1!, 'rm-a');
  const b = await loggedIn(n1!, 'rm-b');
  assert.equal((await a.sendMessageToPeer({ text: 'still here' }, 'rm-b')).hasPeerReceived, true);
  await Promise.all([a.logout(), b.logout()]);
});

test('a node taken for dead that comes back registers its users again: watchers see them online and in their channels', async (t) => {
  const [n1, n2] = await nodes(t, 2, {
    heartbeatMs: 200,
    resumeWindowMs: 1000,
    unreachableAfterMs: 800,
  });
  const x = await loggedIn(n1!, 'ra-x');
  await x.createChannel('ra-room').join();
  const w = await loggedIn(n2!, 'ra-w');
  const seen: string[] = [];
  w.on('PeersOnlineStatusChanged', (st) =>
    seen.push(...Object.entries(st).map(([k, v]) => `${k}:${v}`)),
  );
  await w.subscribePeersOnlineStatus(['ra-x']);
  const room = w.createChannel('ra-room');
  const events: string[] = [];
  room.on('MemberLeft', (u) => events.push(`left:${u}`));
  room.on('MemberJoined', (u) => events.push(`joined:${u}`));
  await room.join();
  // n1 stops refreshing its liveness (a stall, as far as the Store can tell) ...
  const store = n1!.backend.nodes;
  const alive = store.nodeAlive.bind(store);
  store.nodeAlive = () => Promise.resolve(true);
  await until(() => seen.includes('ra-x:OFFLINE'), 'n2 reaps n1', 10_000);
  // ... and comes back.
  store.nodeAlive = alive;
  await until(() => seen.at(-1) === 'ra-x:ONLINE', 'online again', 10_000);
  await until(() => events.at(-1) === 'joined:ra-x', 'back in the channel', 10_000);
  assert.deepEqual(events, ['left:ra-x', 'joined:ra-x']);
  assert.deepEqual(await w.queryPeersOnlineStatus(['ra-x']), { 'ra-x': true });
  assert.deepEqual((await room.getMembers()).sort(), ['ra-w', 'ra-x']);
  await Promise.all([x.logout(), w.logout()]);
});

test('a login elsewhere while the session travels between nodes: the travelling login is told REMOTE_LOGIN', async (t) => {
  const [n1, n2, n3] = await nodes(t, 3);
  const sid = await droppedSession(n1!, 'rt-user', 'rt-room');
  // n1 holds its answer once it has moved the user to n2, until the user has logged in on n3,
  // whose kick reaches n2 before the session does.
  const store = n1!.backend.nodes;
  const unregister = store.unregisterSession.bind(store);
  const moving = gate();
  const loggedInElsewhere = gate();
  store.unregisterSession = async (...args) => {
    moving.open();
    await loggedInElsewhere.opened;
    return unregister(...args);
  };
  const travelling = await RawSocket.open(n2!.url);
  const pending = travelling.request(resume('rt-user', sid));
  await moving.opened;
  const elsewhere = await RawSocket.open(n3!.url);
  const fresh = (await elsewhere.request({ t: 'login', i: 1, a: APP, u: 'rt-user' })) as Reply;
  loggedInElsewhere.open();
  await assert.rejects(pending, /socket closed/);
  assert.ok(travelling.frames.some((f) => f.t === 'kick' && f.why === 'REMOTE_LOGIN'));
  assert.equal(n2!.sessions.hub.bySessionId(sid), undefined);
  assert.deepEqual(await n3!.backend.users.locateUser(APP, 'rt-user'), {
    sid: fresh.r!.sid,
    node: n3!.sessions.node,
  });
  elsewhere.close();
});

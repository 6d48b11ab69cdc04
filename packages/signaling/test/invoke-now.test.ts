/**
 * `invoke('io.agora.signal.channel_query_num')` and `channelQueryUserNum` answer at once, as
 * the legacy SDK sent each call at once: no batching onto RTM's one getChannelMemberCount call a
 * second. Every clock here is a ManualClock that never moves unless the test says so, so an
 * answer that waited for any timer (client or server) would never come.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignalingCode as C, type InvokeResponse, type Session } from '@parley/signaling';
import {
  entries,
  loggedIn,
  ManualClock,
  record,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';
import { GetChannelMemberCountError, Limits } from '@parley/protocol';

function invoke(s: Session, func: string, req: object): Promise<[string, InvokeResponse]> {
  return new Promise((resolve) => s.invoke(func, req, (err, resp) => resolve([err, resp])));
}

const QUERY_NUM = 'io.agora.signal.channel_query_num';

test('channel_query_num: ten queries in a row all answer with no clock moving, each sent as its own request', async (t) => {
  const serverClock = new ManualClock();
  const server = await testServer({ clock: serverClock });
  t.after(() => server.close());
  const rtm = await loggedIn(server, 'now-rtm');
  t.after(() => rtm.logout().catch(() => undefined));
  await rtm.createChannel('now-room').join();
  const a = await signedIn(server, 'now-a', { clock: new ManualClock() });
  t.after(() => signOut(a));

  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, k) =>
      invoke(a, QUERY_NUM, { name: k % 2 === 0 ? 'now-room' : `now-empty-${k}` }),
    ),
  );
  answers.forEach(([err, resp], k) =>
    assert.deepEqual([err, resp], ['', { result: 'ok', num: k % 2 === 0 ? 1 : 0 }], `query ${k}`),
  );

  // The C++ style method takes the same path.
  const log = record(a, ['onChannelQueryUserNumResult']);
  a.channelQueryUserNum('now-room');
  a.channelQueryUserNum('now-hall');
  await entries(log, 2, 'onChannelQueryUserNumResult');
  assert.deepEqual(log.sort(), [
    ['onChannelQueryUserNumResult', 'now-hall', C.SUCCESS, 0],
    ['onChannelQueryUserNumResult', 'now-room', C.SUCCESS, 1],
  ]);

  // RTM's own getChannelMemberCount keeps its one call a second.
  await rtm.getChannelMemberCount(['now-room']);
  await assert.rejects(rtm.getChannelMemberCount(['now-room']), {
    code: GetChannelMemberCountError.TOO_OFTEN,
  });
});

test('user_query_user_status and the member queries: past RTM limits for each, all answered at once', async (t) => {
  const server = await testServer({ clock: new ManualClock() });
  t.after(() => server.close());
  const rtm = await loggedIn(server, 'st-rtm');
  t.after(() => rtm.logout().catch(() => undefined));
  const a = await signedIn(server, 'st-a', { clock: new ManualClock() });
  t.after(() => signOut(a));
  const ch = a.channelJoin('st-room')!;
  await until(() => ch.state === 'joined', 'join');
  // RTM allows 10 status queries per 5 s and 5 getMembers per 2 s; Signaling had no such limit.
  const status = await Promise.all(
    Array.from({ length: Limits.queryRateCount + 2 }, () =>
      invoke(a, 'io.agora.signal.user_query_user_status', { account: 'st-rtm' }),
    ),
  );
  for (const answer of status) assert.deepEqual(answer, ['', { result: 'ok', status: 1 }]);
  const isin = await Promise.all(
    Array.from({ length: Limits.getMembersRateCount + 2 }, () =>
      invoke(a, 'io.agora.signal.channel_query_user_isin', { name: 'st-room', account: 'st-a' }),
    ),
  );
  for (const answer of isin) assert.deepEqual(answer, ['', { result: 'ok', isin: 1 }]);
  const log = record(a, ['onQueryUserStatusResult', 'onError']);
  for (let k = 0; k < Limits.queryRateCount + 1; k++) a.queryUserStatus('st-rtm');
  await entries(log, Limits.queryRateCount + 1, 'onQueryUserStatusResult');
  assert.deepEqual(
    log.filter(([name]) => name !== 'onQueryUserStatusResult'),
    [],
    'no onError',
  );
  // An RTM client keeps RTM's window.
  const rtmQueries = await Promise.allSettled(
    Array.from({ length: Limits.queryRateCount + 1 }, () => rtm.queryPeersOnlineStatus(['st-a'])),
  );
  assert.equal(rtmQueries.filter((r) => r.status === 'rejected').length, 1);
});

test('channel_query_num: the server still limits abuse, on its own window, and names the limit', async (t) => {
  const serverClock = new ManualClock();
  const server = await testServer({ clock: serverClock });
  t.after(() => server.close());
  const a = await signedIn(server, 'abuse-a', { clock: new ManualClock() });
  t.after(() => signOut(a));
  const n = Limits.signalingQueryRateCount;
  const answers = await Promise.all(
    Array.from({ length: n + 1 }, () => invoke(a, QUERY_NUM, { name: 'abuse-room' })),
  );
  assert.equal(answers.filter(([err]) => err === '').length, n, `${n} answered ok`);
  const [err, resp] = answers.find(([e]) => e !== '')!;
  assert.match(err, new RegExp(`more than ${n} queries per 1 s`));
  assert.equal(resp.result, 'failed');
  await serverClock.advance(Limits.signalingQueryRateWindowMs);
  assert.deepEqual(await invoke(a, QUERY_NUM, { name: 'abuse-room' }), [
    '',
    { result: 'ok', num: 0 },
  ]);
});

test('a query pending at logout() is answered (the server answers it before the logout), then onLogout(101)', async (t) => {
  const server = await testServer({ clock: new ManualClock() });
  t.after(() => server.close());
  const rtm = await loggedIn(server, 'bye-rtm');
  t.after(() => rtm.logout().catch(() => undefined));
  await rtm.createChannel('bye-room').join();
  const a = await signedIn(server, 'bye-a', { clock: new ManualClock() });
  const log: unknown[][] = [];
  a.onLogout = (ecode) => log.push(['onLogout', ecode]);
  a.invoke(QUERY_NUM, { name: 'bye-room' }, (err, resp) => log.push(['invoke', err, resp]));
  a.logout();
  await until(() => log.length === 2, `both callbacks (${JSON.stringify(log)})`);
  assert.deepEqual(log, [
    ['invoke', '', { result: 'ok', num: 1 }],
    ['onLogout', C.LOGOUT_E_USER],
  ]);
});

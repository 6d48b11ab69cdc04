import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignalingCode as C, signalUid, type Channel, type Session } from '@parley/signaling';
import type { RunningServer } from '../../server/src/index.js';
import {
  APP,
  channelMessageMarker,
  entries,
  loggedIn,
  RawSocket,
  record,
  type Recorded,
  signal,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';

const CHANNEL_CALLBACKS = [
  'onChannelJoined',
  'onChannelJoinFailed',
  'onChannelLeaved',
  'onChannelUserJoined',
  'onChannelUserLeaved',
  'onChannelUserList',
  'onChannelAttrUpdated',
  'onMessageChannelReceive',
] as const;

/** Joins and resolves once the join sequence ran, with everything the channel reported. */
async function joined(session: Session, name: string, log: Recorded = []): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  record(channel, CHANNEL_CALLBACKS, log);
  await until(() => channel.state !== 'joining', `join ${name}`);
  assert.equal(channel.state, 'joined');
  return channel;
}

describe('Signaling channels', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer({ sendRateCount: 1_000_000 });
  });
  after(() => server.close());

  test('join: onChannelJoined, onChannelUserList([account, uid]…), then the attributes as updates', async () => {
    const a = await signedIn(server, 'cj-a');
    const rtm = await loggedIn(server, 'cj-rtm');
    await rtm.createChannel('cj-room').join();
    const alog: Recorded = [];
    const ca = await joined(a, 'cj-room', alog);
    const cbs: unknown[] = [];
    ca.channelSetAttr('topic', 'hello', (failed) => cbs.push(failed));
    await until(() => cbs.length === 1, 'topic');
    ca.channelSetAttr('mode', 'quiet', (failed) => cbs.push(failed));
    await until(() => cbs.length === 2, 'mode');
    assert.deepEqual(cbs, [false, false]);
    const b = await signedIn(server, 'cj-b');
    const log: Recorded = [];
    const cb = b.channelJoin('cj-room')!;
    assert.equal(cb.state, 'joining');
    assert.equal(cb.name, 'cj-room');
    record(cb, CHANNEL_CALLBACKS, log);
    await entries(log, 4, 'join sequence');
    await channelMessageMarker(ca, cb); // the join sequence is complete: nothing more of it
    const [first, list, ...attrs] = log;
    assert.deepEqual(first, ['onChannelJoined']);
    assert.equal(list![0], 'onChannelUserList');
    assert.deepEqual((list![1] as [string, number][]).sort(), [
      ['cj-a', signalUid('cj-a')],
      ['cj-b', signalUid('cj-b')],
      ['cj-rtm', signalUid('cj-rtm')],
    ]);
    assert.deepEqual(attrs.sort(), [
      ['onChannelAttrUpdated', 'mode', 'quiet', 'update'],
      ['onChannelAttrUpdated', 'topic', 'hello', 'update'],
    ]);
    assert.equal(cb.state, 'joined');
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('onChannelUserList holds the latest 200 members', async () => {
    const raws: RawSocket[] = [];
    let s: Session | undefined;
    try {
      for (let k = 0; k < 205; k++) {
        const raw = await RawSocket.open(server.url);
        await raw.request({ t: 'login', i: 1, a: APP, u: `big-${k}` });
        await raw.request({ t: 'join', i: 2, c: 'cj-big' });
        raws.push(raw);
      }
      s = await signedIn(server, 'big-sig');
      const log: Recorded = [];
      await joined(s, 'cj-big', log);
      const users = log.find((e) => e[0] === 'onChannelUserList')![1] as [string, number][];
      assert.equal(users.length, 200);
      assert.ok(users.every(([a, uid]) => uid === signalUid(a)));
      // The latest 200: the joiner and the last 199 to join, not the 6 who joined first.
      assert.deepEqual(
        users.map(([a]) => a).sort(),
        ['big-sig', ...raws.slice(6).map((_, k) => `big-${k + 6}`)].sort(),
      );
    } finally {
      if (s) await signOut(s);
      for (const r of raws) r.close();
    }
  });

  test('one channel at a time: joining another leaves the first (onChannelLeaved(602)); members there see onChannelUserLeaved', async () => {
    const s = await signedIn(server, 'one-s');
    const watcher = await signedIn(server, 'one-w');
    const wlog: Recorded = [];
    await joined(watcher, 'one-a', wlog);
    const log: Recorded = [];
    const first = await joined(s, 'one-a', log);
    await entries(wlog, 3, 'watcher sees one-s join');
    const second = s.channelJoin('one-b')!;
    record(second, CHANNEL_CALLBACKS, log);
    await until(() => second.state === 'joined', 'second join');
    await entries(wlog, 4, 'watcher sees one-s leave');
    assert.equal(first.state, 'leaved');
    assert.deepEqual(
      log.map((e) => e[0]),
      [
        'onChannelJoined',
        'onChannelUserList',
        'onChannelLeaved',
        'onChannelJoined',
        'onChannelUserList',
      ],
    );
    assert.deepEqual(log[2], ['onChannelLeaved', C.LEAVECHANNEL_E_BYUSER]);
    assert.deepEqual(wlog.slice(2), [
      ['onChannelUserJoined', 'one-s', signalUid('one-s')],
      ['onChannelUserLeaved', 'one-s', signalUid('one-s')],
    ]);
    // Joining the channel one is in answers the same channel.
    assert.equal(s.channelJoin('one-b'), second);
    await Promise.all([signOut(s), signOut(watcher)]);
  });

  test('channelJoin answers undefined when not logged in', async () => {
    const failed = signal(server).login('no good', '_no_need_token');
    assert.equal(failed.channelJoin('x'), undefined);
    const a = await signedIn(server, 'nl-a');
    await signOut(a);
    assert.equal(a.channelJoin('x'), undefined);
  });

  test('channel messages reach every member, the sender too (echo), and RTM members both ways', async () => {
    const a = await signedIn(server, 'cm-a');
    const b = await signedIn(server, 'cm-b');
    const rtm = await loggedIn(server, 'cm-rtm');
    const rch = rtm.createChannel('cm-room');
    const rtmGot: string[] = [];
    rch.on('ChannelMessage', (m, from) => rtmGot.push(`${from}:${(m as { text: string }).text}`));
    await rch.join();
    const alog: Recorded = [];
    const blog: Recorded = [];
    const ca = await joined(a, 'cm-room', alog);
    await joined(b, 'cm-room', blog);
    alog.length = 0;
    blog.length = 0;
    const sent: unknown[][] = [];
    ca.messageChannelSend('hi all', (...r) => sent.push(r));
    await until(() => sent.length === 1, 'cb');
    assert.deepEqual(sent, [[false, 0]]);
    await rch.sendMessage({ text: 'from rtm' });
    await entries(alog, 2, 'a messages');
    await entries(blog, 2, 'b messages');
    const msgs = (l: Recorded) => l.filter((e) => e[0] === 'onMessageChannelReceive');
    assert.deepEqual(msgs(alog), [
      ['onMessageChannelReceive', 'cm-a', signalUid('cm-a'), 'hi all'],
      ['onMessageChannelReceive', 'cm-rtm', signalUid('cm-rtm'), 'from rtm'],
    ]);
    assert.deepEqual(msgs(blog), msgs(alog));
    await until(() => rtmGot.length === 1, 'rtm got');
    assert.deepEqual(rtmGot, ['cm-a:hi all']);
    assert.equal(ca.m_channel_msgid, 2);
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('messageChannelSend: onMessageSendSuccess on the session; objects are sent as JSON; not joined → cb(true, 400)', async () => {
    const a = await signedIn(server, 'cs-a');
    const slog = record(a, ['onMessageSendSuccess', 'onMessageSendError']);
    const clog: Recorded = [];
    const ch = await joined(a, 'cs-room', clog);
    ch.messageChannelSend({ k: 1 });
    await entries(slog, 1, 'send result');
    assert.equal(slog[0]![0], 'onMessageSendSuccess');
    assert.equal(typeof slog[0]![1], 'string');
    await until(() => clog.some((e) => e[0] === 'onMessageChannelReceive'), 'echo');
    assert.deepEqual(
      clog.find((e) => e[0] === 'onMessageChannelReceive'),
      ['onMessageChannelReceive', 'cs-a', signalUid('cs-a'), '{"k":1}'],
    );
    const cbs: unknown[][] = [];
    ch.channelLeave(() => cbs.push(['left']));
    await until(() => cbs.length === 1, 'leave cb');
    ch.messageChannelSend('late', (...r) => cbs.push(r));
    await until(() => cbs.length === 2, 'send cb');
    assert.deepEqual(cbs, [['left'], [true, C.SENDMESSAGE_E_OTHER]]);
    await entries(slog, 2, 'send error');
    assert.deepEqual([slog[1]![0], slog[1]![2]], ['onMessageSendError', C.SENDMESSAGE_E_OTHER]);
    assert.match(String(slog[1]![1]), /^cs-a-\d+-\d+$/);
    // C++ session.messageChannelSend(channelID, msg, msgID) on a channel one is not in.
    a.messageChannelSend('cs-room', 'x', 'id-7');
    await entries(slog, 3, 'C++ send error');
    assert.deepEqual(slog[2], ['onMessageSendError', 'id-7', C.SENDMESSAGE_E_OTHER]);
    await signOut(a);
  });

  test('channelLeave(cb) calls cb() only; channelLeave() fires onChannelLeaved(0); others see onChannelUserLeaved', async () => {
    const a = await signedIn(server, 'cl-a');
    const b = await signedIn(server, 'cl-b');
    const alog: Recorded = [];
    const blog: Recorded = [];
    const ca = await joined(a, 'cl-room', alog);
    const cb = await joined(b, 'cl-room', blog);
    await entries(alog, 3, 'a sees b join');
    const cbs: string[] = [];
    cb.channelLeave(() => cbs.push('cb'));
    await until(() => cbs.length === 1, 'cb');
    await entries(alog, 4, 'a sees b leave');
    assert.deepEqual(alog[3], ['onChannelUserLeaved', 'cl-b', signalUid('cl-b')]);
    assert.ok(!blog.some((e) => e[0] === 'onChannelLeaved'));
    ca.channelLeave();
    await until(() => alog.some((e) => e[0] === 'onChannelLeaved'), 'onChannelLeaved');
    assert.deepEqual(alog[4], ['onChannelLeaved', 0]);
    assert.equal(ca.state, 'leaved');
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('logout while in a channel: onChannelLeaved(603), then onLogout(101)', async () => {
    const a = await signedIn(server, 'lo-a');
    const log: Recorded = [];
    await joined(a, 'lo-room', log);
    log.length = 0;
    record(a, ['onLogout'], log);
    a.logout();
    await entries(log, 2, 'logout');
    assert.deepEqual(log, [
      ['onChannelLeaved', C.LEAVECHANNEL_E_LOGOUT],
      ['onLogout', C.LOGOUT_E_USER],
    ]);
  });

  test('a channel name RTM refuses fails the join: onChannelJoinFailed(300, reason)', async () => {
    const a = await signedIn(server, 'jf-a');
    const ch = a.channelJoin('null')!;
    const log = record(ch, CHANNEL_CALLBACKS);
    await entries(log, 1, 'join failed');
    assert.equal(log[0]![0], 'onChannelJoinFailed');
    assert.equal(log[0]![1], C.JOINCHANNEL_E_OTHER);
    assert.match(String(log[0]![2]), /channelId/);
    assert.equal(ch.state, 'leaved');
    await signOut(a);
  });

  test('channel attributes: set, delete and clear reach every member (RTM ones too) as update, del, clear', async () => {
    const a = await signedIn(server, 'ca-a');
    const b = await signedIn(server, 'ca-b');
    const rtm = await loggedIn(server, 'ca-rtm');
    const rch = rtm.createChannel('ca-room');
    const rtmSeen: string[] = [];
    rch.on('AttributesUpdated', (attrs) =>
      rtmSeen.push(
        Object.entries(attrs)
          .map(([k, v]) => `${k}=${v.value}/${v.lastUpdateUserId}`)
          .sort()
          .join(','),
      ),
    );
    await rch.join();
    const alog: Recorded = [];
    const blog: Recorded = [];
    const ca = await joined(a, 'ca-room', alog);
    await joined(b, 'ca-room', blog);
    alog.length = 0;
    blog.length = 0;
    const attrEvents = (l: Recorded) => l.filter((e) => e[0] === 'onChannelAttrUpdated');
    const cbs: unknown[][] = [];
    ca.channelSetAttr('k1', 'v1', (...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 1, 'k1');
    ca.channelSetAttr('k2', 'v2', (...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 2, 'k2');
    ca.channelSetAttr('k1', 'v1b', (...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 3, 'k1 again');
    ca.channelDelAttr('k1', (...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 4, 'del k1');
    ca.channelSetAttr('k3', 'v3', (...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 5, 'k3');
    ca.channelClearAttr((...r) => cbs.push(r));
    await until(() => attrEvents(blog).length === 6, 'clear');
    const expected = [
      ['onChannelAttrUpdated', 'k1', 'v1', 'update'],
      ['onChannelAttrUpdated', 'k2', 'v2', 'update'],
      ['onChannelAttrUpdated', 'k1', 'v1b', 'update'],
      ['onChannelAttrUpdated', 'k1', '', 'del'],
      ['onChannelAttrUpdated', 'k3', 'v3', 'update'],
      ['onChannelAttrUpdated', '', '', 'clear'],
    ];
    assert.deepEqual(attrEvents(blog), expected);
    await until(() => attrEvents(alog).length === 6, 'writer sees them too');
    assert.deepEqual(attrEvents(alog), expected);
    assert.deepEqual(cbs, Array(6).fill([false, 0]));
    await until(() => rtmSeen.length === 6, 'rtm');
    assert.deepEqual(rtmSeen, [
      'k1=v1/ca-a',
      'k1=v1/ca-a,k2=v2/ca-a',
      'k1=v1b/ca-a,k2=v2/ca-a',
      'k2=v2/ca-a',
      'k2=v2/ca-a,k3=v3/ca-a',
      '',
    ]);
    // An RTM client's change reaches Signaling members as updates.
    await rtm.addOrUpdateChannelAttributes(
      'ca-room',
      { r: 'x' },
      { enableNotificationToChannelMembers: true },
    );
    await until(() => attrEvents(blog).length === 7, 'rtm write');
    assert.deepEqual(attrEvents(blog)[6], ['onChannelAttrUpdated', 'r', 'x', 'update']);
    // A key RTM refuses: cb(true, GENERAL_E_WRONG_PARAM), nothing changes.
    ca.channelSetAttr('k'.repeat(33), 'v', (...r) => cbs.push(r));
    await until(() => cbs.length === 7, 'bad key');
    assert.deepEqual(cbs[6], [true, C.GENERAL_E_WRONG_PARAM]);
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('messageChannelSendForce: a message to a channel one has not joined reaches its members', async () => {
    const member = await signedIn(server, 'mf-m');
    const rtm = await loggedIn(server, 'mf-rtm');
    const rch = rtm.createChannel('mf-room');
    const rtmGot: string[] = [];
    rch.on('ChannelMessage', (m, from) => rtmGot.push(`${from}:${(m as { text: string }).text}`));
    await rch.join();
    const log: Recorded = [];
    await joined(member, 'mf-room', log);
    const outsider = await signedIn(server, 'mf-out');
    const olog = record(outsider, ['onMessageSendSuccess', 'onMessageSendError']);
    outsider.messageChannelSendForce('mf-room', 'from outside', 'force-1');
    await entries(olog, 1, 'send result');
    assert.deepEqual(olog, [['onMessageSendSuccess', 'force-1']]);
    await until(() => log.some((e) => e[0] === 'onMessageChannelReceive'), 'member got it');
    assert.deepEqual(
      log.find((e) => e[0] === 'onMessageChannelReceive'),
      ['onMessageChannelReceive', 'mf-out', signalUid('mf-out'), 'from outside'],
    );
    await until(() => rtmGot.length === 1, 'rtm got it');
    assert.deepEqual(rtmGot, ['mf-out:from outside']);
    await Promise.all([signOut(member), signOut(outsider), rtm.logout()]);
  });

  test('channelQueryUserNum: onChannelQueryUserNumResult(channel, 0, n) for any channel, however often', async () => {
    const a = await signedIn(server, 'qn-a');
    const b = await signedIn(server, 'qn-b');
    await joined(a, 'qn-room');
    await joined(b, 'qn-room');
    const q = await signedIn(server, 'qn-q');
    const log = record(q, ['onChannelQueryUserNumResult', 'onError']);
    // Each is sent at once (RTM's one member-count call a second does not apply): none fails.
    q.channelQueryUserNum('qn-room');
    q.channelQueryUserNum('qn-empty');
    q.channelQueryUserNum('qn-room');
    await entries(log, 3, 'results');
    q.channelQueryUserNum('qn-room');
    await entries(log, 4, 'the fourth result', 5000);
    assert.deepEqual(log, [
      ['onChannelQueryUserNumResult', 'qn-room', 0, 2],
      ['onChannelQueryUserNumResult', 'qn-empty', 0, 0],
      ['onChannelQueryUserNumResult', 'qn-room', 0, 2],
      ['onChannelQueryUserNumResult', 'qn-room', 0, 2],
    ]);
    await Promise.all([signOut(a), signOut(b), signOut(q)]);
  });
});

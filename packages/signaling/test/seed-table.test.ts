/**
 * The Signaling column of the official "信令 与 RTM 功能对照表" (shared/seeds/000_…txt), walked
 * row by row, in the table's order: each row's Signaling method or event, working over real
 * WebSockets (and the RTM column's counterpart where the row is about interop). Rows whose
 * Signaling column is N/A show what a Signaling app does instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { END_CALL_PREFIX, type RtmClient } from '@parley/sdk';
import Signal, {
  SignalClient,
  SignalingCode as C,
  signalUid,
  type Call,
  type Channel,
  type Session,
} from '@parley/signaling';
import type { RunningServer } from '../../server/src/index.js';
import {
  APP,
  entries,
  eventually,
  loggedIn,
  record,
  type Recorded,
  sessionMarker,
  signal,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';

let server: RunningServer;

let n = 0;
/** A fresh account for each row. */
const account = () => `seed-${++n}`;

/** A session and a joined channel, with the channel's callbacks recorded. */
async function inChannel(name: string, log: Recorded = []): Promise<[Session, Channel, Recorded]> {
  const s = await signedIn(server, account());
  const ch = s.channelJoin(name)!;
  record(
    ch,
    [
      'onChannelJoined',
      'onChannelJoinFailed',
      'onChannelLeaved',
      'onChannelUserJoined',
      'onChannelUserLeaved',
      'onChannelUserList',
      'onChannelAttrUpdated',
      'onMessageChannelReceive',
    ],
    log,
  );
  await until(() => ch.state === 'joined', `join ${name}`);
  return [s, ch, log];
}

const CALL = [
  'onInviteReceivedByPeer',
  'onInviteAcceptedByPeer',
  'onInviteRefusedByPeer',
  'onInviteFailed',
  'onInviteEndByPeer',
  'onInviteEndByMyself',
  'onInviteMsg',
] as const;

/** Caller and callee sessions, and the callee's incoming calls. */
async function callPair(): Promise<{ a: Session; b: Session; got: Call[]; blog: Recorded }> {
  const a = await signedIn(server, account());
  const b = await signedIn(server, account());
  const got: Call[] = [];
  const blog: Recorded = [];
  b.onInviteReceived = (call) => {
    got.push(call);
    blog.push(['onInviteReceived', call.channelName, call.peer, call.extra]);
    record(call, CALL, blog);
  };
  return { a, b, got, blog };
}

before(async () => {
  server = await testServer({ invitationPeerOfflineMs: 800 });
});
after(() => server.close());

describe('登录登出 (login and logout)', () => {
  test('创建实例 — getInstance / createAgoraSDKInstance: Signal(appId)', () => {
    const sig = Signal(APP, { serverUrl: server.url });
    assert.ok(sig instanceof SignalClient);
    assert.ok(new Signal(APP, { serverUrl: server.url }) instanceof SignalClient);
  });

  test('设置回调对象 — callbackSet: callbacks given once, before login', async () => {
    const sig = signal(server);
    const log: Recorded = [];
    sig.callbackSet({ onLoginSuccess: (uid) => log.push(['onLoginSuccess', uid]) });
    const s = sig.login(account(), '_no_need_token');
    await entries(log, 1, 'login');
    assert.deepEqual(log, [['onLoginSuccess', s.uid]]);
    assert.equal(typeof sig.callbackGet().onLoginSuccess, 'function');
    await signOut(s);
  });

  test('登录 — login / login2', async () => {
    const a = account();
    const s = signal(server).login(a, '_no_need_token');
    const log = record(s, ['onLoginSuccess', 'onLoginFailed']);
    await entries(log, 1, 'login');
    assert.deepEqual(log, [['onLoginSuccess', signalUid(a)]]);
    const sig2 = signal(server);
    const s2 = sig2.login2(account(), '_no_need_token', 30, 3);
    await until(() => s2.getStatus() === 2, 'login2');
    await Promise.all([signOut(s), signOut(s2)]);
  });

  test('登出 — logout', async () => {
    const s = await signedIn(server, account());
    const log = record(s, ['onLogout']);
    s.logout();
    await entries(log, 1, 'logout');
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_USER]]);
  });

  test('获取登录状态 — getStatus: 0, 1, 2 (3 while reconnecting)', async () => {
    const sig = signal(server);
    assert.equal(sig.getStatus(), 0);
    const s = sig.login(account(), '_no_need_token');
    assert.equal(s.getStatus(), 1);
    await until(() => s.getStatus() === 2, 'logged in');
    await signOut(s);
    assert.equal(s.getStatus(), 0);
  });

  test('销毁实例 — destroy', async () => {
    const sig = signal(server);
    const s = sig.login(account(), '_no_need_token');
    await until(() => s.getStatus() === 2, 'logged in');
    const log = record(s, ['onLogout']);
    sig.destroy();
    await entries(log, 1, 'logout');
    assert.equal(sig.getStatus(), 0);
  });

  test('登录成功 — onLoginSuccess(uid)', async () => {
    const a = account();
    const s = signal(server).login(a, '_no_need_token');
    const log = record(s, ['onLoginSuccess']);
    await entries(log, 1, 'onLoginSuccess');
    assert.deepEqual(log, [['onLoginSuccess', signalUid(a)]]);
    await signOut(s);
  });

  test('登录失败 — onLoginFailed(ecode)', async () => {
    const s = signal(server).login('has a space', '_no_need_token');
    const log = record(s, ['onLoginFailed']);
    await entries(log, 1, 'onLoginFailed');
    assert.deepEqual(log, [['onLoginFailed', C.LOGIN_E_INVALID_USER]]);
  });

  test('登出结果 — onLogout(ecode): 101 logout, 103 logged in elsewhere', async () => {
    const a = account();
    const s = await signedIn(server, a);
    const log = record(s, ['onLogout']);
    const other = await signedIn(server, a);
    await entries(log, 1, 'kicked');
    assert.deepEqual(log, [['onLogout', C.LOGOUT_E_KICKED]]);
    const log2 = record(other, ['onLogout']);
    other.logout();
    await entries(log2, 1, 'logout');
    assert.deepEqual(log2, [['onLogout', C.LOGOUT_E_USER]]);
  });

  test('连接状态改变 — N/A: getStatus() tells the state', async () => {
    const s = await signedIn(server, account());
    assert.equal(s.getStatus(), 2);
    await signOut(s);
    assert.equal(s.getStatus(), 0);
  });
});

describe('发送点对点消息 (peer messages)', () => {
  test('创建消息实例 — N/A: a message is a string', async () => {
    const a = await signedIn(server, account());
    const b = await signedIn(server, account());
    const log = record(b, ['onMessageInstantReceive']);
    a.messageInstantSend(b.account, 'plain string');
    await entries(log, 1, 'received');
    assert.deepEqual(log, [['onMessageInstantReceive', a.account, a.uid, 'plain string']]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('发送点对点消息 — messageInstantSend, and the RTM side receives it', async () => {
    const a = await signedIn(server, account());
    const { rtm, id } = await rtmUser();
    const got: string[] = [];
    rtm.on('MessageFromPeer', (m, from) => got.push(`${from}:${(m as { text: string }).text}`));
    const cbs: unknown[][] = [];
    a.messageInstantSend(id, 'hi rtm', (...r) => cbs.push(r));
    await until(() => got.length === 1 && cbs.length === 1, 'delivered');
    assert.deepEqual(got, [`${a.account}:hi rtm`]);
    assert.deepEqual(cbs, [[false, 0]]);
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('点对点消息发送成功 — onMessageSendSuccess(messageID)', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onMessageSendSuccess']);
    a.messageInstantSend('anyone', 0, 'x', 'm-1');
    await entries(log, 1, 'success');
    assert.deepEqual(log, [['onMessageSendSuccess', 'm-1']]);
    await signOut(a);
  });

  test('点对点消息发送失败 — onMessageSendError(messageID, ecode)', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onMessageSendError']);
    a.messageInstantSend('bad\tpeer', 0, 'x', 'm-2');
    await entries(log, 1, 'error');
    assert.deepEqual(log, [['onMessageSendError', 'm-2', C.SENDMESSAGE_E_OTHER]]);
    await signOut(a);
  });

  test('收到一条点对点消息 — onMessageInstantReceive(account, uid, msg), also from RTM', async () => {
    const b = await signedIn(server, account());
    const { rtm, id } = await rtmUser();
    const log = record(b, ['onMessageInstantReceive']);
    await rtm.sendMessageToPeer({ text: 'from rtm' }, b.account);
    await entries(log, 1, 'received');
    assert.deepEqual(log, [['onMessageInstantReceive', id, signalUid(id), 'from rtm']]);
    await Promise.all([signOut(b), rtm.logout()]);
  });
});

describe('查询指定用户的在线状态 (online status)', () => {
  test('查询指定用户的在线状态 — queryUserStatus', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onQueryUserStatusResult']);
    a.queryUserStatus(a.account);
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onQueryUserStatusResult', a.account, '1']]);
    await signOut(a);
  });

  test('返回查询结果 — onQueryUserStatusResult(name, status)', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onQueryUserStatusResult']);
    a.queryUserStatus('seed-nobody');
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onQueryUserStatusResult', 'seed-nobody', '0']]);
    await signOut(a);
  });
});

describe('用户属性相关操作 (user attributes)', () => {
  test('设置本地用户属性 — setAttr (RTM addOrUpdateLocalUserAttributes)', async () => {
    const a = await signedIn(server, account());
    const { rtm } = await rtmUser();
    a.setAttr('nick', 'Ann');
    await eventually(
      async () => (await rtm.getUserAttributes(a.account)).nick === 'Ann',
      'RTM sees the attribute',
    );
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('获取本地用户的某个属性 — getAttr', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onUserAttrResult']);
    a.setAttr('k', 'v');
    await attrsLanded(a.account, { k: 'v' });
    a.getAttr('k');
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onUserAttrResult', a.account, 'k', 'v']]);
    await signOut(a);
  });

  test('获取本地用户的全部属性 — getAttrAll', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onUserAttrAllResult']);
    a.setAttr('k', 'v');
    await attrsLanded(a.account, { k: 'v' });
    a.getAttrAll();
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onUserAttrAllResult', a.account, '{"k":"v"}']]);
    await signOut(a);
  });

  test('获取指定用户的某个属性 — getUserAttrAll (and getUserAttr)', async () => {
    const a = await signedIn(server, account());
    const b = await signedIn(server, account());
    const log = record(b, ['onUserAttrAllResult', 'onUserAttrResult']);
    a.setAttr('k', 'v');
    await attrsLanded(a.account, { k: 'v' });
    b.getUserAttrAll(a.account);
    await entries(log, 1, 'all');
    b.getUserAttr(a.account, 'k');
    await entries(log, 2, 'one');
    assert.deepEqual(log, [
      ['onUserAttrAllResult', a.account, '{"k":"v"}'],
      ['onUserAttrResult', a.account, 'k', 'v'],
    ]);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('全量替换 / 删除 / 清空本地用户属性 — N/A: setAttr with an empty value deletes', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onUserAttrAllResult']);
    a.setAttr('k', 'v');
    await attrsLanded(a.account, { k: 'v' });
    a.setAttr('k', '');
    await attrsLanded(a.account, {});
    a.getAttrAll();
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onUserAttrAllResult', a.account, '{}']]);
    await signOut(a);
  });

  test('返回用户属性相关的结果 — onUserAttributeResult: onUserAttrResult / onUserAttrAllResult', async () => {
    const a = await signedIn(server, account());
    const log = record(a, ['onUserAttrResult', 'onUserAttrAllResult']);
    a.getUserAttr('seed-nobody', 'k');
    a.getUserAttrAll('seed-nobody');
    await entries(log, 2, 'results');
    assert.deepEqual(log.sort(), [
      ['onUserAttrAllResult', 'seed-nobody', '{}'],
      ['onUserAttrResult', 'seed-nobody', 'k', ''],
    ]);
    await signOut(a);
  });
});

describe('加入离开频道相关 (joining and leaving channels)', () => {
  test('创建频道实例 — N/A: channelJoin answers the Channel', async () => {
    const s = await signedIn(server, account());
    const ch = s.channelJoin('seed-c0');
    assert.ok(ch && ch.name === 'seed-c0');
    await until(() => ch.state === 'joined', 'join');
    await signOut(s);
  });

  test('加入指定频道 — channelJoin (one channel at a time)', async () => {
    const [s, first, log] = await inChannel('seed-c1');
    const second = s.channelJoin('seed-c1b')!;
    await until(() => second.state === 'joined', 'second');
    assert.equal(first.state, 'leaved');
    assert.ok(log.some((e) => e[0] === 'onChannelLeaved' && e[1] === C.LEAVECHANNEL_E_BYUSER));
    await signOut(s);
  });

  test('离开频道 — channelLeave', async () => {
    const [s, ch, log] = await inChannel('seed-c2');
    ch.channelLeave();
    await until(() => log.some((e) => e[0] === 'onChannelLeaved'), 'left');
    assert.equal(ch.state, 'leaved');
    await signOut(s);
  });

  test('成功加入指定频道 — onChannelJoined', async () => {
    const [s, , log] = await inChannel('seed-c3');
    assert.deepEqual(log[0], ['onChannelJoined']);
    await signOut(s);
  });

  test('加入指定频道失败 — onChannelJoinFailed', async () => {
    const s = await signedIn(server, account());
    const ch = s.channelJoin('null')!;
    const log = record(ch, ['onChannelJoinFailed']);
    await entries(log, 1, 'failed');
    assert.equal(log[0]![1], C.JOINCHANNEL_E_OTHER);
    await signOut(s);
  });

  test('远端用户加入当前频道 — onChannelUserJoined(account, uid), also for RTM members', async () => {
    const [s, , log] = await inChannel('seed-c4');
    const { rtm, id } = await rtmUser();
    await rtm.createChannel('seed-c4').join();
    await until(() => log.some((e) => e[0] === 'onChannelUserJoined'), 'joined');
    assert.deepEqual(
      log.find((e) => e[0] === 'onChannelUserJoined'),
      ['onChannelUserJoined', id, signalUid(id)],
    );
    await Promise.all([signOut(s), rtm.logout()]);
  });

  test('成功离开当前频道 — onChannelLeaved(ecode)', async () => {
    const [s, ch, log] = await inChannel('seed-c5');
    ch.channelLeave();
    await until(() => log.some((e) => e[0] === 'onChannelLeaved'), 'left');
    assert.deepEqual(log.at(-1), ['onChannelLeaved', 0]);
    await signOut(s);
  });

  test('远端频道成员离开当前频道 — onChannelUserLeaved(account, uid)', async () => {
    const [s, , log] = await inChannel('seed-c6');
    const [other, och] = await inChannel('seed-c6');
    och.channelLeave();
    await until(() => log.some((e) => e[0] === 'onChannelUserLeaved'), 'left');
    assert.deepEqual(
      log.find((e) => e[0] === 'onChannelUserLeaved'),
      ['onChannelUserLeaved', other.account, other.uid],
    );
    await Promise.all([signOut(s), signOut(other)]);
  });

  test('加入频道时返回频道成员列表 — onChannelUserList([[account, uid], …])', async () => {
    const [s] = await inChannel('seed-c7');
    const [t, , log] = await inChannel('seed-c7');
    const users = log.find((e) => e[0] === 'onChannelUserList')![1] as [string, number][];
    assert.deepEqual(
      users.sort(),
      [
        [s.account, s.uid],
        [t.account, t.uid],
      ].sort(),
    );
    await Promise.all([signOut(s), signOut(t)]);
  });
});

describe('频道消息 (channel messages)', () => {
  test('创建消息实例 — N/A: a channel message is a string', async () => {
    const [s, ch, log] = await inChannel('seed-m0');
    ch.messageChannelSend('plain');
    await until(() => log.some((e) => e[0] === 'onMessageChannelReceive'), 'echo');
    await signOut(s);
  });

  test('从频道内发送频道消息 — messageChannelSend, to Signaling and RTM members, echoed to the sender', async () => {
    const [s, ch, log] = await inChannel('seed-m1');
    const { rtm } = await rtmUser();
    const rch = rtm.createChannel('seed-m1');
    const got: string[] = [];
    rch.on('ChannelMessage', (m, from) => got.push(`${from}:${(m as { text: string }).text}`));
    await rch.join();
    ch.messageChannelSend('hello channel');
    await until(() => got.length === 1, 'rtm got it');
    await until(() => log.some((e) => e[0] === 'onMessageChannelReceive'), 'echo');
    assert.deepEqual(got, [`${s.account}:hello channel`]);
    await Promise.all([signOut(s), rtm.logout()]);
  });

  test('从频道外发送频道消息 — messageChannelSendForce', async () => {
    const [s, , log] = await inChannel('seed-m2');
    const out = await signedIn(server, account());
    out.messageChannelSendForce('seed-m2', 'from outside', 'f-1');
    await until(() => log.some((e) => e[0] === 'onMessageChannelReceive'), 'got it');
    assert.deepEqual(
      log.find((e) => e[0] === 'onMessageChannelReceive'),
      ['onMessageChannelReceive', out.account, out.uid, 'from outside'],
    );
    await Promise.all([signOut(s), signOut(out)]);
  });

  test('频道消息发送成功 — onMessageSendSuccess', async () => {
    const [s, ch] = await inChannel('seed-m3');
    const log = record(s, ['onMessageSendSuccess']);
    ch.messageChannelSend('x');
    await entries(log, 1, 'success');
    await signOut(s);
  });

  test('频道消息发送失败 — onMessageSendError', async () => {
    const s = await signedIn(server, account());
    const log = record(s, ['onMessageSendError']);
    s.messageChannelSend('seed-not-joined', 'x', 'cm-1');
    await entries(log, 1, 'error');
    assert.deepEqual(log, [['onMessageSendError', 'cm-1', C.SENDMESSAGE_E_OTHER]]);
    await signOut(s);
  });

  test('收到一条频道消息 — onMessageChannelReceive(account, uid, msg), from RTM members too', async () => {
    const [s, , log] = await inChannel('seed-m4');
    const { rtm, id } = await rtmUser();
    const rch = rtm.createChannel('seed-m4');
    await rch.join();
    await rch.sendMessage({ text: 'rtm says hi' });
    await until(() => log.some((e) => e[0] === 'onMessageChannelReceive'), 'got it');
    assert.deepEqual(
      log.find((e) => e[0] === 'onMessageChannelReceive'),
      ['onMessageChannelReceive', id, signalUid(id), 'rtm says hi'],
    );
    await Promise.all([signOut(s), rtm.logout()]);
  });
});

describe('频道属性相关 (channel attributes)', () => {
  const attrEvents = (log: Recorded) => log.filter((e) => e[0] === 'onChannelAttrUpdated');

  test('设置一条频道属性 — channelSetAttr', async () => {
    const [s, ch, log] = await inChannel('seed-a1');
    ch.channelSetAttr('k', 'v');
    await until(() => attrEvents(log).length === 1, 'update');
    assert.deepEqual(attrEvents(log), [['onChannelAttrUpdated', 'k', 'v', 'update']]);
    await signOut(s);
  });

  test('删除一条频道属性 — channelDelAttr', async () => {
    const [s, ch, log] = await inChannel('seed-a2');
    ch.channelSetAttr('k', 'v', () => ch.channelDelAttr('k'));
    await until(() => attrEvents(log).length === 2, 'del');
    assert.deepEqual(attrEvents(log)[1], ['onChannelAttrUpdated', 'k', '', 'del']);
    await signOut(s);
  });

  test('删除频道的全部属性 — channelClearAttr', async () => {
    const [s, ch, log] = await inChannel('seed-a3');
    ch.channelSetAttr('k1', 'v', () => ch.channelSetAttr('k2', 'v', () => ch.channelClearAttr()));
    await until(() => attrEvents(log).length === 3, 'clear');
    assert.deepEqual(attrEvents(log)[2], ['onChannelAttrUpdated', '', '', 'clear']);
    await signOut(s);
  });

  test('频道属性已更新 — onChannelAttrUpdated(name, value, type), for every member', async () => {
    const [s, ch] = await inChannel('seed-a4');
    const [t, , tlog] = await inChannel('seed-a4');
    ch.channelSetAttr('shared', 'yes');
    await until(() => attrEvents(tlog).length === 1, 'other member');
    assert.deepEqual(attrEvents(tlog), [['onChannelAttrUpdated', 'shared', 'yes', 'update']]);
    await Promise.all([signOut(s), signOut(t)]);
  });
});

describe('获取当前频道用户列表 (channel user list)', () => {
  test('获取指定频道的成员列表 — invoke(io.agora.signal.channel_query_userlist)', async () => {
    const [s] = await inChannel('seed-l1');
    const resp = await new Promise<unknown>((r) =>
      s.invoke('io.agora.signal.channel_query_userlist', { name: 'seed-l1' }, (_err, x) => r(x)),
    );
    assert.deepEqual(resp, { result: 'ok', num: 1, list: [[s.account, s.uid]] });
    await signOut(s);
  });

  test('返回指定频道的成员列表 — onInvokeRet(callID, err, resp)', async () => {
    const [s] = await inChannel('seed-l2');
    const log = record(s, ['onInvokeRet']);
    s.invoke('io.agora.signal.channel_query_userlist', { name: 'seed-l2' }, 'list-1');
    await entries(log, 1, 'onInvokeRet');
    assert.deepEqual(log, [
      ['onInvokeRet', 'list-1', '', { result: 'ok', num: 1, list: [[s.account, s.uid]] }],
    ]);
    await signOut(s);
  });
});

describe('获取指定频道用户人数 (channel user count)', () => {
  test('获取指定频道成员人数 — channelQueryUserNum', async () => {
    const [s] = await inChannel('seed-n1');
    const log = record(s, ['onChannelQueryUserNumResult']);
    s.channelQueryUserNum('seed-n1');
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onChannelQueryUserNumResult', 'seed-n1', 0, 1]]);
    await signOut(s);
  });

  test('返回指定频道的用户人数 — onChannelQueryUserNumResult(channelID, ecode, num)', async () => {
    const s = await signedIn(server, account());
    const log = record(s, ['onChannelQueryUserNumResult']);
    s.channelQueryUserNum('seed-n-empty');
    await entries(log, 1, 'result');
    assert.deepEqual(log, [['onChannelQueryUserNumResult', 'seed-n-empty', 0, 0]]);
    await signOut(s);
  });
});

describe('呼叫邀请 (call invitations)', () => {
  test('创建 RTM 呼叫管理器 / LocalInvitation — N/A: channelInviteUser2 answers the Call', async () => {
    const { a, b } = await callPair();
    const call = a.channelInviteUser2('seed-i0', b.account, '{}');
    assert.deepEqual([call.channelName, call.peer, call.extra], ['seed-i0', b.account, '{}']);
    call.channelInviteEnd();
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('供主叫向指定用户发送呼叫邀请 — channelInviteUser / channelInviteUser2, to Signaling and RTM callees', async () => {
    const { a, b, blog } = await callPair();
    a.channelInviteUser('seed-i1', b.account, 0);
    a.channelInviteUser2('seed-i1b', b.account, '{"k":1}');
    await entries(blog, 2, 'two rings');
    assert.deepEqual(blog, [
      ['onInviteReceived', 'seed-i1', a.account, ''],
      ['onInviteReceived', 'seed-i1b', a.account, '{"k":1}'],
    ]);
    const { rtm, id } = await rtmUser();
    const rings: string[] = [];
    rtm.on('RemoteInvitationReceived', (ri) => rings.push(`${ri.channelId}:${ri.content}`));
    a.channelInviteUser2('seed-i1c', id, 'to rtm');
    await until(() => rings.length === 1, 'rtm ring');
    assert.deepEqual(rings, ['seed-i1c:to rtm']);
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('供主叫发送 DTMF 呼叫邀请 — channelInviteDTMF', async () => {
    const { a, b, got, blog } = await callPair();
    const call = a.channelInviteUser2('seed-i2', b.account);
    const alog = record(call, ['onInviteAcceptedByPeer']);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteAccept();
    await entries(alog, 1, 'the caller has the acceptance');
    call.channelInviteDTMF('5');
    await entries(blog, 2, 'dtmf');
    assert.deepEqual(blog[1], ['onInviteMsg', '{"msgtype":"dtmf","msgdata":"5"}', 'dtmf', '5']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('供主叫取消一个发出的呼叫邀请 — channelInviteEnd (RTM cancelLocalInvitation), at any time', async () => {
    const { a, b, blog } = await callPair();
    const call = a.channelInviteUser2('seed-i3', b.account);
    await entries(blog, 1, 'ring');
    call.channelInviteEnd('bye');
    await entries(blog, 2, 'end');
    assert.deepEqual(blog[1], ['onInviteEndByPeer', 'bye']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('供被叫接收一个呼叫邀请 — channelInviteAccept', async () => {
    const { a, b, got, blog } = await callPair();
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-i4', b.account), CALL, log);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteAccept('ok');
    await until(() => log.some((e) => e[0] === 'onInviteAcceptedByPeer'), 'accepted');
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('供被叫拒绝一个呼叫邀请 — channelInviteRefuse', async () => {
    const { a, b, got, blog } = await callPair();
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-i5', b.account), CALL, log);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteRefuse('no');
    await until(() => log.some((e) => e[0] === 'onInviteRefusedByPeer'), 'refused');
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('返回给主叫：被叫已收到呼叫邀请 — onInviteReceivedByPeer (RTM onLocalInvitationReceivedByPeer)', async () => {
    const a = await signedIn(server, account());
    const { rtm, id } = await rtmUser();
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-e1', id), CALL, log);
    await entries(log, 1, 'received by peer');
    assert.deepEqual(log, [['onInviteReceivedByPeer', '']]);
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('返回给主叫：呼叫邀请已被取消 — onInviteEndByMyself (RTM onLocalInvitationCanceled)', async () => {
    const { a, b, blog } = await callPair();
    const log: Recorded = [];
    const call = a.channelInviteUser2('seed-e2', b.account);
    record(call, CALL, log);
    await entries(blog, 1, 'ring');
    call.channelInviteEnd();
    assert.deepEqual(log.at(-1), ['onInviteEndByMyself', '']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('返回给主叫：被叫已接收呼叫邀请 — onInviteAcceptedByPeer(extra), from an RTM callee', async () => {
    const a = await signedIn(server, account());
    const { rtm, id } = await rtmUser();
    rtm.on('RemoteInvitationReceived', (ri) => {
      ri.response = 'rtm accepts';
      ri.accept();
    });
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-e3', id), CALL, log);
    await entries(log, 2, 'accepted');
    assert.deepEqual(log, [
      ['onInviteReceivedByPeer', ''],
      ['onInviteAcceptedByPeer', 'rtm accepts'],
    ]);
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('返回给主叫：被叫已拒绝呼叫邀请 — onInviteRefusedByPeer(extra), from an RTM callee', async () => {
    const a = await signedIn(server, account());
    const { rtm, id } = await rtmUser();
    rtm.on('RemoteInvitationReceived', (ri) => {
      ri.response = 'rtm refuses';
      ri.refuse();
    });
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-e4', id), CALL, log);
    await entries(log, 2, 'refused');
    assert.deepEqual(log[1], ['onInviteRefusedByPeer', 'rtm refuses']);
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('返回给主叫：呼叫邀请过程失败 — onInviteFailed (RTM onLocalInvitationFailure)', async () => {
    const a = await signedIn(server, account());
    const log: Recorded = [];
    record(a.channelInviteUser2('seed-e5', 'seed-offline'), CALL, log);
    await entries(log, 1, 'failed', 5000);
    assert.deepEqual(log, [['onInviteFailed', 'PEER_OFFLINE', C.INVITE_E_PEEROFFLINE]]);
    await signOut(a);
  });

  test('返回给 DTMF 用户：收到一个呼叫邀请 — onInviteMsg', async () => {
    const { a, b, got, blog } = await callPair();
    const call = a.channelInviteUser2('seed-e6', b.account);
    const alog = record(call, ['onInviteAcceptedByPeer']);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteAccept();
    await entries(alog, 1, 'the caller has the acceptance');
    call.channelInviteDTMF('*');
    await entries(blog, 2, 'msg');
    assert.deepEqual(blog[1], ['onInviteMsg', '{"msgtype":"dtmf","msgdata":"*"}', 'dtmf', '*']);
    await Promise.all([signOut(a), signOut(b)]);
  });

  test('返回给被叫：收到一个呼叫邀请 — onInviteReceived(call), from an RTM caller (RTM onRemoteInvitationReceived)', async () => {
    const { a, b, blog } = await callPair();
    const { rtm, id } = await rtmUser();
    const inv = rtm.createLocalInvitation(b.account);
    inv.channelId = 'seed-e7';
    inv.content = '{"from":"rtm"}';
    inv.send();
    await entries(blog, 1, 'ring');
    assert.deepEqual(blog, [['onInviteReceived', 'seed-e7', id, '{"from":"rtm"}']]);
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('返回给被叫：主叫已取消呼叫邀请 — onInviteEndByPeer (RTM cancel, and the legacy end-call message)', async () => {
    const { a, b, got, blog } = await callPair();
    const { rtm, id } = await rtmUser();
    const first = rtm.createLocalInvitation(b.account);
    first.channelId = 'seed-e8';
    first.send();
    await entries(blog, 1, 'ring');
    first.cancel();
    await entries(blog, 2, 'canceled');
    assert.deepEqual(blog.slice(0, 2), [
      ['onInviteReceived', 'seed-e8', id, ''],
      ['onInviteEndByPeer', ''],
    ]);
    const second = rtm.createLocalInvitation(b.account);
    second.channelId = 'seed-e8b';
    const accepted = new Promise<void>((r) => second.on('LocalInvitationAccepted', () => r()));
    second.send();
    await entries(blog, 3, 'ring 2');
    got[1]!.channelInviteAccept();
    await accepted;
    await rtm.sendMessageToPeer({ text: `${END_CALL_PREFIX}_seed-e8b_hangup` }, b.account);
    await entries(blog, 4, 'end-call message');
    assert.deepEqual(blog[3], ['onInviteEndByPeer', 'hangup']);
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('返回给被叫：已成功接受 / 已拒绝 / 过程失败 — N/A: the callee answers synchronously', async () => {
    const { a, b, got, blog } = await callPair();
    const alog = record(a.channelInviteUser2('seed-e9', b.account), ['onInviteAcceptedByPeer']);
    await entries(blog, 1, 'ring');
    got[0]!.channelInviteAccept();
    await entries(alog, 1, 'the caller has the acceptance');
    await sessionMarker(a, b); // whatever followed the acceptance for b came before this
    assert.equal(blog.length, 1);
    await Promise.all([signOut(a), signOut(b)]);
  });
});

describe('更新 Token (token renewal)', () => {
  test('更新当前 Token / onRenewTokenResult / onTokenExpired — N/A: a Signaling session has no renewal', async () => {
    const s = await signedIn(server, account());
    assert.equal((s as unknown as Record<string, unknown>).renewToken, undefined);
    await signOut(s);
  });
});

/** An RTM client logged in with a fresh account. */
async function rtmUser(): Promise<{ rtm: RtmClient; id: string }> {
  const id = account();
  return { rtm: await loggedIn(server, id), id };
}

/**
 * setAttr has no callback: resolves once an RTM client reads exactly `attrs` for `account`
 * (a later read of the session could otherwise overtake the write).
 */
async function attrsLanded(account: string, attrs: Record<string, string>): Promise<void> {
  const { rtm } = await rtmUser();
  try {
    const want = JSON.stringify(attrs);
    await eventually(
      async () => JSON.stringify(await rtm.getUserAttributes(account)) === want,
      `attributes ${want} of ${account}`,
    );
  } finally {
    await rtm.logout();
  }
}

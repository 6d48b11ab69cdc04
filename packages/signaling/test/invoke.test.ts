import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  INVOKE_FUNCTIONS,
  SignalingCode as C,
  signalUid,
  type InvokeResponse,
  type Session,
} from '@parley/signaling';
import type { RunningServer } from '../../server/src/index.js';
import {
  entries,
  eventually,
  loggedIn,
  record,
  type Recorded,
  signedIn,
  signOut,
  testServer,
  until,
} from '@parley/testkit';

/** A field of a response. */
function field<T>(resp: InvokeResponse, name: string): T {
  return (resp as Record<string, unknown>)[name] as T;
}

/** Web-style invoke: resolves `[err, resp]`. */
function invoke(s: Session, func: string, req: object | string): Promise<[string, InvokeResponse]> {
  return new Promise((resolve) => s.invoke(func, req, (err, resp) => resolve([err, resp])));
}

describe('Signaling invoke and the C++ query and attribute methods', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('the io.agora.signal functions answered', () => {
    assert.deepEqual(INVOKE_FUNCTIONS, [
      'user_query_user_status',
      'user_set_attr',
      'user_get_attr',
      'user_get_attr_all',
      'channel_query_num',
      'channel_query_user_isin',
      'channel_query_userlist',
      'channel_query_userlist_all',
      'channel_set_attr',
      'channel_del_attr',
      'channel_clear_attr',
    ]);
  });

  test('user status and user attributes through invoke', async () => {
    const a = await signedIn(server, 'iv-a');
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_query_user_status', { account: 'iv-a' }),
      ['', { result: 'ok', status: 1 }],
    );
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_query_user_status', { account: 'iv-nobody' }),
      ['', { result: 'ok', status: 0 }],
    );
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_set_attr', { name: 'color', value: 'red' }),
      ['', { result: 'ok' }],
    );
    // The C++ SDK passed JSON text; that works too.
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_set_attr', '{"name":"size","value":"L"}'),
      ['', { result: 'ok' }],
    );
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_get_attr', { account: 'iv-a', name: 'color' }),
      ['', { result: 'ok', value: 'red' }],
    );
    const [err, all] = await invoke(a, 'io.agora.signal.user_get_attr_all', { account: 'iv-a' });
    assert.equal(err, '');
    assert.deepEqual(JSON.parse(field<string>(all, 'json')), { color: 'red', size: 'L' });
    // An empty value deletes.
    await invoke(a, 'io.agora.signal.user_set_attr', { name: 'color', value: '' });
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_get_attr', { account: 'iv-a', name: 'color' }),
      ['', { result: 'ok', value: '' }],
    );
    await signOut(a);
  });

  test('channel functions through invoke: count, membership, user list, attributes of any channel', async () => {
    const a = await signedIn(server, 'ic-a');
    const rtm = await loggedIn(server, 'ic-rtm');
    const rch = rtm.createChannel('ic-room');
    const rtmAttrs: string[] = [];
    rch.on('AttributesUpdated', (attrs) => rtmAttrs.push(Object.keys(attrs).sort().join(',')));
    await rch.join();
    const ch = a.channelJoin('ic-room')!;
    await until(() => ch.state === 'joined', 'join');
    assert.deepEqual(await invoke(a, 'io.agora.signal.channel_query_num', { name: 'ic-room' }), [
      '',
      { result: 'ok', num: 2 },
    ]);
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.channel_query_user_isin', {
        name: 'ic-room',
        account: 'ic-rtm',
      }),
      ['', { result: 'ok', isin: 1 }],
    );
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.channel_query_user_isin', {
        name: 'ic-room',
        account: 'ic-x',
      }),
      ['', { result: 'ok', isin: 0 }],
    );
    const [, list] = await invoke(a, 'io.agora.signal.channel_query_userlist', { name: 'ic-room' });
    assert.equal(field<number>(list, 'num'), 2);
    assert.deepEqual(field<[string, number][]>(list, 'list').sort(), [
      ['ic-a', signalUid('ic-a')],
      ['ic-rtm', signalUid('ic-rtm')],
    ]);
    const [, one] = await invoke(a, 'io.agora.signal.channel_query_userlist_all', {
      name: 'ic-room',
      num: 1,
    });
    assert.equal(field<number>(one, 'num'), 1);
    // A channel this session is not in cannot be listed (RTM lists joined channels only).
    const [err, resp] = await invoke(a, 'io.agora.signal.channel_query_userlist', {
      name: 'ic-other',
    });
    assert.match(err, /only the channel this session has joined/);
    assert.deepEqual(
      { ...resp, reason: undefined },
      {
        result: 'failed',
        reason: undefined,
        ecode: C.GENERAL_E_FAILED,
      },
    );
    // Attributes of a channel, joined or not.
    const clog: Recorded = [];
    record(ch, ['onChannelAttrUpdated'], clog);
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.channel_set_attr', {
        channel: 'ic-room',
        name: 'k',
        value: 'v',
      }),
      ['', { result: 'ok' }],
    );
    await entries(clog, 1, 'attr update');
    await invoke(a, 'io.agora.signal.channel_del_attr', { channel: 'ic-room', name: 'k' });
    await entries(clog, 2, 'attr delete');
    await invoke(a, 'io.agora.signal.channel_set_attr', {
      channel: 'ic-away',
      name: 'k',
      value: 'v',
    });
    assert.deepEqual(await rtm.getChannelAttributes('ic-away').then((x) => x.k?.value), 'v');
    await invoke(a, 'io.agora.signal.channel_clear_attr', { channel: 'ic-away' });
    assert.deepEqual(await rtm.getChannelAttributes('ic-away'), {});
    assert.deepEqual(clog, [
      ['onChannelAttrUpdated', 'k', 'v', 'update'],
      ['onChannelAttrUpdated', 'k', '', 'del'],
    ]);
    assert.deepEqual(rtmAttrs, ['k', '']);
    await Promise.all([signOut(a), rtm.logout()]);
  });

  test('C++ style: invoke(func, req, callID) answers onInvokeRet(callID, err, resp)', async () => {
    const a = await signedIn(server, 'ir-a');
    const log = record(a, ['onInvokeRet']);
    a.invoke('io.agora.signal.user_query_user_status', '{"account":"ir-a"}', 'call-1');
    a.invoke('io.agora.signal.no_such_thing', {}, 'call-2');
    a.invoke('io.agora.signal.user_get_attr', { account: 'ir-a' }, 'call-3');
    a.invoke('io.agora.signal.user_set_attr', '{not json', 'call-4');
    await entries(log, 4, 'onInvokeRet');
    const byId = Object.fromEntries(log.map((e) => [e[1], e.slice(2)]));
    assert.deepEqual(byId['call-1'], ['', { result: 'ok', status: 1 }]);
    assert.deepEqual(byId['call-2'], [
      'io.agora.signal.no_such_thing: no such function',
      {
        result: 'failed',
        reason: 'io.agora.signal.no_such_thing: no such function',
        ecode: C.GENERAL_E_WRONG_PARAM,
      },
    ]);
    assert.deepEqual(byId['call-3'], [
      'user_get_attr: name: must be a non-empty string',
      {
        result: 'failed',
        reason: 'user_get_attr: name: must be a non-empty string',
        ecode: C.GENERAL_E_WRONG_PARAM,
      },
    ]);
    assert.deepEqual(byId['call-4']![1], {
      result: 'failed',
      reason: 'req: not JSON',
      ecode: C.GENERAL_E_WRONG_PARAM,
    });
    await signOut(a);
  });

  test('a function without the io.agora.signal. prefix is ignored, as in the Web SDK', async () => {
    const a = await signedIn(server, 'ig-a');
    const log = record(a, ['onInvokeRet']);
    const cbs: unknown[] = [];
    a.invoke('user_query_user_status', { account: 'ig-a' }, (...r) => cbs.push(r));
    a.invoke('other.user_query_user_status', { account: 'ig-a' }, 'x');
    // A valid invoke after them: once it is answered, theirs would have been too.
    const later: unknown[] = [];
    a.invoke('io.agora.signal.user_query_user_status', { account: 'ig-a' }, (...r) =>
      later.push(r),
    );
    await until(() => later.length === 1, 'the answer to the valid invoke');
    assert.deepEqual([log, cbs], [[], []]);
    await signOut(a);
  });

  test('queryUserStatus → onQueryUserStatusResult(account, "1" | "0")', async () => {
    const a = await signedIn(server, 'qs-a');
    const log = record(a, ['onQueryUserStatusResult', 'onError']);
    a.queryUserStatus('qs-a');
    await entries(log, 1, 'first');
    a.queryUserStatus('qs-nobody');
    await entries(log, 2, 'second');
    assert.deepEqual(log, [
      ['onQueryUserStatusResult', 'qs-a', '1'],
      ['onQueryUserStatusResult', 'qs-nobody', '0'],
    ]);
    await signOut(a);
  });

  test('setAttr, getAttr, getAttrAll, getUserAttr, getUserAttrAll → onUserAttrResult / onUserAttrAllResult', async () => {
    const a = await signedIn(server, 'ua-a');
    const b = await signedIn(server, 'ua-b');
    const rtm = await loggedIn(server, 'ua-rtm');
    const names = ['onUserAttrResult', 'onUserAttrAllResult', 'onError'] as const;
    const alog = record(a, names);
    const blog = record(b, names);
    // setAttr has no callback: wait until RTM sees each write (concurrent writes may race).
    const attrsOfA = (want: number) =>
      eventually(
        async () => Object.keys(await rtm.getUserAttributes('ua-a')).length === want,
        `${want} attributes of ua-a`,
      );
    a.setAttr('nick', 'Ann');
    await attrsOfA(1);
    a.setAttr('mood', 'ok');
    await attrsOfA(2);
    a.getAttr('nick');
    await entries(alog, 1, 'getAttr');
    a.getAttrAll();
    await entries(alog, 2, 'getAttrAll');
    b.getUserAttr('ua-a', 'mood');
    await entries(blog, 1, 'getUserAttr');
    b.getUserAttrAll('ua-a');
    await entries(blog, 2, 'getUserAttrAll');
    b.getUserAttr('ua-nobody', 'nick');
    b.getUserAttrAll('ua-nobody');
    await entries(blog, 4, 'offline user');
    assert.deepEqual(alog[0], ['onUserAttrResult', 'ua-a', 'nick', 'Ann']);
    assert.deepEqual(
      [alog[1]![0], alog[1]![1], JSON.parse(alog[1]![2] as string)],
      ['onUserAttrAllResult', 'ua-a', { nick: 'Ann', mood: 'ok' }],
    );
    assert.deepEqual(blog[0], ['onUserAttrResult', 'ua-a', 'mood', 'ok']);
    assert.deepEqual(JSON.parse(blog[1]![2] as string), { nick: 'Ann', mood: 'ok' });
    assert.deepEqual(blog.slice(2), [
      ['onUserAttrResult', 'ua-nobody', 'nick', ''],
      ['onUserAttrAllResult', 'ua-nobody', '{}'],
    ]);
    // RTM clients see them as user attributes.
    assert.deepEqual(await rtm.getUserAttributes('ua-a'), { nick: 'Ann', mood: 'ok' });
    // An empty value deletes; a key RTM refuses reports onError.
    a.setAttr('mood', '');
    a.setAttr('k'.repeat(33), 'v');
    await entries(alog, 3, 'onError');
    assert.deepEqual(
      [alog[2]![0], alog[2]![1], alog[2]![2]],
      ['onError', 'setAttr', C.GENERAL_E_WRONG_PARAM],
    );
    assert.deepEqual(await rtm.getUserAttributes('ua-a'), { nick: 'Ann' });
    await Promise.all([signOut(a), signOut(b), rtm.logout()]);
  });

  test('channelQueryUserIsIn → onChannelQueryUserIsIn(channel, account, 1 | 0)', async () => {
    const a = await signedIn(server, 'qi-a');
    const ch = a.channelJoin('qi-room')!;
    await until(() => ch.state === 'joined', 'join');
    const log = record(a, ['onChannelQueryUserIsIn', 'onError']);
    a.channelQueryUserIsIn('qi-room', 'qi-a');
    await entries(log, 1, 'first');
    a.channelQueryUserIsIn('qi-room', 'qi-b');
    await entries(log, 2, 'second');
    a.channelQueryUserIsIn('qi-elsewhere', 'qi-a');
    await entries(log, 3, 'third');
    assert.deepEqual(log.slice(0, 2), [
      ['onChannelQueryUserIsIn', 'qi-room', 'qi-a', 1],
      ['onChannelQueryUserIsIn', 'qi-room', 'qi-b', 0],
    ]);
    assert.deepEqual(log[2]!.slice(0, 3), ['onError', 'channelQueryUserIsIn', C.GENERAL_E_FAILED]);
    await signOut(a);
  });

  test('not logged in: invoke answers failed with GENERAL_E_NOT_LOGIN; the C++ methods onError(…, 1003)', async () => {
    const a = await signedIn(server, 'nl-a');
    await signOut(a);
    const log = record(a, ['onError']);
    assert.deepEqual(
      await invoke(a, 'io.agora.signal.user_query_user_status', { account: 'nl-a' }),
      [
        'io.agora.signal.user_query_user_status: not logged in',
        {
          result: 'failed',
          reason: 'io.agora.signal.user_query_user_status: not logged in',
          ecode: C.GENERAL_E_NOT_LOGIN,
        },
      ],
    );
    a.queryUserStatus('x');
    a.setAttr('k', 'v');
    await entries(log, 2, 'onError');
    assert.deepEqual(log, [
      ['onError', 'queryUserStatus', C.GENERAL_E_NOT_LOGIN, 'queryUserStatus: not logged in'],
      ['onError', 'setAttr', C.GENERAL_E_NOT_LOGIN, 'setAttr: not logged in'],
    ]);
  });
});

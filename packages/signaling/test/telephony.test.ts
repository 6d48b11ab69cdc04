import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignalingCode as C } from '@parley/signaling';
import type { RunningServer } from '../../server/src/index.js';
import {
  APP,
  entries,
  Gateway,
  record,
  type Recorded,
  signedIn,
  signOut,
  testServer,
} from '@parley/testkit';

const CALL_CALLBACKS = ['onInviteReceivedByPeer', 'onInviteFailed', 'onInviteEndByMyself'] as const;

describe('Signaling phone calls without a telephony gateway', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('channelInvitePhone fails: onInviteFailed(reason naming PARLEY_TELEPHONY_WEBHOOK, 700)', async () => {
    const s = await signedIn(server, 'tn-a');
    const log: Recorded = [];
    record(s.channelInvitePhone2('tn-room', '+15550100', '+15550199'), CALL_CALLBACKS, log);
    await entries(log, 1, 'failure');
    assert.equal(log[0]![0], 'onInviteFailed');
    assert.match(String(log[0]![1]), /PARLEY_TELEPHONY_WEBHOOK/);
    assert.equal(log[0]![2], C.INVITE_E_OTHER);
    await signOut(s);
  });
});

describe('Signaling phone calls through the telephony gateway', () => {
  let server: RunningServer;
  let gateway: Gateway;
  before(async () => {
    gateway = await Gateway.start();
    server = await testServer({ telephonyWebhook: gateway.url });
  });
  after(async () => {
    await server.close();
    await gateway.close();
  });

  const bodies = () =>
    gateway.posts.map((p) => {
      const { ts: _ts, ...rest } = p.body;
      return rest;
    });

  test('invite, DTMF (Call and C++ forms) and end reach the gateway; the call hears onInviteReceivedByPeer', async () => {
    gateway.posts.length = 0;
    const s = await signedIn(server, 'tg-a');
    const log: Recorded = [];
    const call = s.channelInvitePhone3('tg-room', '+15550100', '+15550199', '{"destMediaUid":9}');
    assert.deepEqual([call.channelName, call.peer], ['tg-room', '+15550100']);
    record(call, CALL_CALLBACKS, log);
    await entries(log, 1, 'received by the gateway');
    assert.deepEqual(log, [['onInviteReceivedByPeer', '']]);
    call.channelInviteDTMF('1#');
    s.channelInviteDTMF('tg-room', '+15550100', '9');
    await entries(gateway.posts as unknown as Recorded, 3, 'dtmf posts');
    call.channelInviteEnd('hang up');
    assert.deepEqual(log[1], ['onInviteEndByMyself', '']);
    await entries(gateway.posts as unknown as Recorded, 4, 'end post');
    const base = { appId: APP, from: 'tg-a', channel: 'tg-room', phone: '+15550100' };
    assert.deepEqual(bodies(), [
      { type: 'invite', ...base, sourceNumber: '+15550199', extra: '{"destMediaUid":9}' },
      { type: 'dtmf', ...base, dtmf: '1#' },
      { type: 'dtmf', ...base, dtmf: '9' },
      { type: 'end', ...base, extra: 'hang up' },
    ]);
    await signOut(s);
  });

  test('a gateway that refuses: onInviteFailed(reason, 700); bad DTMF: onError(channelInviteDTMF, 1004)', async () => {
    const s = await signedIn(server, 'tr-a');
    gateway.status = 503;
    const log: Recorded = [];
    try {
      record(s.channelInvitePhone('tr-room', '+15550100'), CALL_CALLBACKS, log);
      await entries(log, 1, 'failure');
    } finally {
      gateway.status = 200;
    }
    assert.deepEqual(log, [
      ['onInviteFailed', 'telephony: the gateway refused with HTTP 503', C.INVITE_E_OTHER],
    ]);
    const errors = record(s, ['onError']);
    s.channelInviteDTMF('tr-room', '+15550100', 'not tones');
    await entries(errors, 1, 'onError');
    assert.deepEqual(errors, [
      [
        'onError',
        'channelInviteDTMF',
        C.GENERAL_E_WRONG_PARAM,
        'dtmf: must be 1-64 of 0-9 * # A-D',
      ],
    ]);
    await signOut(s);
  });
});

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TelephonyError } from '@parley/protocol';
import type { RunningServer } from '../src/index.js';
import { APP, Gateway, RawSocket, testServer } from '@parley/testkit';

async function login(server: RunningServer, uid: string): Promise<RawSocket> {
  const raw = await RawSocket.open(server.url);
  const reply = await raw.request({ t: 'login', i: 1, a: APP, u: uid });
  assert.equal(reply.t, 'ok');
  return raw;
}

describe('telephony without a gateway', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('a phone invitation fails with INVITE_E_OTHER naming PARLEY_TELEPHONY_WEBHOOK', async () => {
    const raw = await login(server, 'tel-none');
    const reply = await raw.request({ t: 'tel.invite', i: 2, c: 'room', phone: '+15550100' });
    assert.equal(reply.t, 'err');
    assert.equal(reply.c, TelephonyError.OTHER);
    assert.match(String(reply.m), /no gateway is configured.*PARLEY_TELEPHONY_WEBHOOK/);
    const dtmf = await raw.request({ t: 'tel.dtmf', i: 3, c: 'room', phone: '+1555', dtmf: '1' });
    assert.equal(dtmf.c, TelephonyError.OTHER);
    raw.close();
  });
});

describe('telephony with a gateway', () => {
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

  test('invite, DTMF and end are POSTed to the gateway as JSON, then answered ok', async () => {
    gateway.posts.length = 0;
    const raw = await login(server, 'tel-a');
    const invite = await raw.request({
      t: 'tel.invite',
      i: 2,
      c: 'room-1',
      phone: '+15550100',
      src: '+15550199',
      extra: '{"destMediaUid":7}',
    });
    const dtmf = await raw.request({
      t: 'tel.dtmf',
      i: 3,
      c: 'room-1',
      phone: '+15550100',
      dtmf: '12#*',
    });
    const end = await raw.request({ t: 'tel.end', i: 4, c: 'room-1', phone: '+15550100' });
    assert.deepEqual(
      [invite, dtmf, end].map((r) => r.t),
      ['ok', 'ok', 'ok'],
    );
    const bodies = gateway.posts.map((p) => {
      const { ts, ...rest } = p.body;
      assert.equal(typeof ts, 'number');
      return rest;
    });
    assert.deepEqual(bodies, [
      {
        type: 'invite',
        appId: APP,
        from: 'tel-a',
        channel: 'room-1',
        phone: '+15550100',
        sourceNumber: '+15550199',
        extra: '{"destMediaUid":7}',
      },
      {
        type: 'dtmf',
        appId: APP,
        from: 'tel-a',
        channel: 'room-1',
        phone: '+15550100',
        dtmf: '12#*',
      },
      { type: 'end', appId: APP, from: 'tel-a', channel: 'room-1', phone: '+15550100' },
    ]);
    assert.deepEqual(
      gateway.posts.map((p) => [p.path, p.contentType]),
      Array(3).fill(['POST /calls', 'application/json']),
    );
    raw.close();
  });

  test('a gateway answering non-2xx fails the request with INVITE_E_OTHER and the status', async () => {
    const raw = await login(server, 'tel-503');
    gateway.status = 503;
    try {
      const reply = await raw.request({ t: 'tel.invite', i: 2, c: 'room', phone: '+1555' });
      assert.deepEqual(
        { t: reply.t, c: reply.c, m: reply.m },
        { t: 'err', c: TelephonyError.OTHER, m: 'telephony: the gateway refused with HTTP 503' },
      );
    } finally {
      gateway.status = 200;
    }
    raw.close();
  });

  test('bad input is refused with GENERAL_E_WRONG_PARAM and never reaches the gateway', async () => {
    gateway.posts.length = 0;
    const raw = await login(server, 'tel-bad');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ t: 'tel.dtmf', c: 'room', phone: '+1555', dtmf: '12x' }, /^dtmf: /],
      [{ t: 'tel.dtmf', c: 'room', phone: '+1555', dtmf: '' }, /^dtmf: /],
      [{ t: 'tel.invite', c: 'room', phone: '+1 555' }, /^phone: /],
      [{ t: 'tel.invite', c: 'room', phone: 'x'.repeat(65) }, /^phone: /],
      [{ t: 'tel.invite', c: 'null', phone: '+1555' }, /^channelId: /],
      [{ t: 'tel.invite', c: 'room', phone: '+1555', src: 5 }, /^src: /],
      [
        { t: 'tel.invite', c: 'room', phone: '+1555', extra: 'x'.repeat(8 * 1024 + 1) },
        /^extra: 8193 bytes; the limit is 8192$/,
      ],
      [{ t: 'tel.end', c: 'room', phone: '+1555', extra: {} }, /^extra: must be a string$/],
    ];
    let i = 10;
    for (const [frame, message] of cases) {
      const reply = await raw.request({ ...frame, i: ++i });
      assert.equal(reply.t, 'err', JSON.stringify(frame).slice(0, 80));
      assert.equal(reply.c, TelephonyError.WRONG_PARAM);
      assert.match(String(reply.m), message);
    }
    assert.equal(raw.closed, undefined);
    assert.equal(gateway.posts.length, 0);
    raw.close();
  });

  test('more than 20 requests in 5 s are refused without reaching the gateway', async () => {
    gateway.posts.length = 0;
    const raw = await login(server, 'tel-rate');
    const replies = [];
    for (let i = 2; i < 23; i++)
      replies.push(await raw.request({ t: 'tel.dtmf', i, c: 'room', phone: '+1555', dtmf: '1' }));
    assert.deepEqual(
      replies.map((r) => r.t),
      [...Array(20).fill('ok'), 'err'],
    );
    assert.equal(replies[20]!.c, TelephonyError.OTHER);
    assert.equal(replies[20]!.m, 'telephony: more than 20 requests per 5 s');
    assert.equal(gateway.posts.length, 20);
    raw.close();
  });

  test('a gateway that never answers fails the request with INVITE_E_NET after 5 s', async () => {
    const raw = await login(server, 'tel-hang');
    gateway.hang = true;
    const t0 = Date.now();
    try {
      const reply = await raw.request({ t: 'tel.invite', i: 2, c: 'room', phone: '+1555' });
      assert.deepEqual(
        { t: reply.t, c: reply.c, m: reply.m },
        { t: 'err', c: TelephonyError.NET, m: 'telephony: the gateway did not answer within 5 s' },
      );
      const took = Date.now() - t0;
      assert.ok(took >= 4900, `answered after ${took} ms, not before the 5 s`);
    } finally {
      gateway.hang = false;
    }
    raw.close();
  });
});

describe('telephony with an unreachable gateway', () => {
  let server: RunningServer;
  before(async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    server = await testServer({ telephonyWebhook: `http://127.0.0.1:${port}/` });
  });
  after(() => server.close());

  test('the request fails with INVITE_E_NET saying the gateway could not be reached', async () => {
    const raw = await login(server, 'tel-down');
    const reply = await raw.request({ t: 'tel.invite', i: 2, c: 'room', phone: '+1555' });
    assert.equal(reply.t, 'err');
    assert.equal(reply.c, TelephonyError.NET);
    assert.equal(reply.m, 'telephony: the gateway could not be reached (ECONNREFUSED)');
    raw.close();
  });
});

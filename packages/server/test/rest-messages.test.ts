/**
 * Agora's RESTful message endpoints over real HTTP against a real server: a REST sender needs no
 * session and no join, and receivers (RTM SDK, Signaling, a raw socket) get what an SDK sender
 * would cause. Every answer is checked against openapi.json (rest-client.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import Signal from '@parley/signaling';
import { buildRtmToken007 } from '@parley/token';
import { ManualClock, APP, client, loggedIn, RawSocket, testServer, until } from '@parley/testkit';
import type { RunningServer } from '../src/index.js';
import { basic, restClient } from './rest-client.js';

const KEYS = [{ key: 'backend', secret: 's3cret' }];
const AUTH = basic('backend', 's3cret');
const peerPath = (from: string, q = '') =>
  `/dev/v2/project/${APP}/rtm/users/${encodeURIComponent(from)}/peer_messages${q}`;
const channelPath = (from: string) =>
  `/dev/v2/project/${APP}/rtm/users/${encodeURIComponent(from)}/channel_messages`;

/** A raw protocol client logged in as `uid` (it acknowledges only when told to). */
async function rawLogin(server: RunningServer, uid: string): Promise<RawSocket> {
  const raw = await RawSocket.open(server.url);
  const r = await raw.request({ t: 'login', i: 1, a: APP, u: uid });
  assert.equal(r.t, 'ok');
  return raw;
}

describe('REST peer and channel messages', () => {
  let server: RunningServer;
  let rest: ReturnType<typeof restClient>;
  before(async () => {
    server = await testServer({ restKeys: KEYS });
    rest = restClient(server.port, AUTH);
  });
  after(() => server.close());

  test('a REST peer message reaches an RTM client as MessageFromPeer from user_id', async () => {
    const bob = await loggedIn(server, 'rm-bob');
    const got: [RtmMessage, string, boolean | undefined][] = [];
    bob.on('MessageFromPeer', (m, from, props) => got.push([m, from, props.isOfflineMessage]));
    const r = await rest('POST', peerPath('backend bot'), {
      body: { destination: 'rm-bob', payload: 'hello from the backend' },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.result, 'success');
    assert.equal(r.body.code, 'message_sent');
    assert.match(r.body.request_id, /^[0-9a-f-]{36}$/);
    await until(() => got.length === 1, 'MessageFromPeer');
    assert.deepEqual(got[0]![0], { text: 'hello from the backend', messageType: 'TEXT' });
    assert.equal(got[0]![1], 'backend bot');
    assert.equal(got[0]![2], false);
    await bob.logout();
  });

  test('a REST peer message reaches a Signaling client as onMessageInstantReceive', async () => {
    const session = Signal(APP, { serverUrl: server.url }).login('rm-sig', '_no_need_token');
    await new Promise<void>((resolve) => (session.onLoginSuccess = () => resolve()));
    const got: [string, string][] = [];
    session.onMessageInstantReceive = (account, _uid, msg) => got.push([account, msg]);
    const r = await rest('POST', peerPath('rm-ops'), {
      body: { destination: 'rm-sig', payload: 'to a Signaling app' },
    });
    assert.equal(r.body.code, 'message_sent');
    await until(() => got.length === 1, 'onMessageInstantReceive');
    assert.deepEqual(got, [['rm-ops', 'to a Signaling app']]);
    await new Promise<void>((resolve) => {
      session.onLogout = () => resolve();
      session.logout();
    });
  });

  test('wait_for_ack=true answers message_delivered only once the receiver’s SDK acknowledged it', async () => {
    const raw = await rawLogin(server, 'rm-slow');
    let answered = false;
    const call = rest('POST', peerPath('rm-src', '?wait_for_ack=true'), {
      body: { destination: 'rm-slow', payload: 'ack me' },
    }).then((r) => ((answered = true), r));
    await until(() => raw.frames.some((f) => f.t === 'msg'), 'the push');
    const push = raw.frames.find((f) => f.t === 'msg')!;
    assert.deepEqual(push.m, { k: 'T', x: 'ack me' });
    assert.equal(push.f, 'rm-src');
    // The push is there and not acknowledged: the call is still open. A ping round trip makes
    // sure the server has handled everything sent so far.
    await raw.request({ t: 'pquery', i: 2, ids: ['rm-src'] });
    assert.equal(answered, false, 'no answer before the ack');
    raw.send({ t: 'ack', s: push.s });
    const r = await call;
    assert.equal(r.status, 200);
    assert.equal(r.body.code, 'message_delivered');
    raw.close();
  });

  test('an offline receiver: message_offline, kept with enable_offline_messaging, delivered at its next login flagged isOfflineMessage', async () => {
    const kept = await rest('POST', peerPath('rm-src'), {
      body: {
        destination: 'rm-later',
        payload: 'while you were out',
        enable_offline_messaging: true,
      },
    });
    assert.equal(kept.body.code, 'message_offline');
    const lost = await rest('POST', peerPath('rm-src', '?wait_for_ack=true'), {
      body: { destination: 'rm-later', payload: 'not kept' },
    });
    assert.equal(lost.body.code, 'message_offline');
    const later = client(server);
    const got: [string, string, boolean | undefined][] = [];
    later.on('MessageFromPeer', (m, from, props) =>
      got.push([m.text ?? '', from, props.isOfflineMessage]),
    );
    await later.login({ uid: 'rm-later' });
    await until(() => got.length === 1, 'the offline message');
    assert.deepEqual(got, [['while you were out', 'rm-src', true]]);
    await later.logout();
  });

  test('a REST channel message reaches the members without the sender joining', async () => {
    const a = await loggedIn(server, 'rm-ca');
    const b = await loggedIn(server, 'rm-cb');
    const seen: string[] = [];
    for (const [c, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      const ch = c.createChannel('rm-room');
      ch.on('ChannelMessage', (m, from) => seen.push(`${name}:${from}:${m.text}`));
      await ch.join();
    }
    const r = await rest('POST', channelPath('announcer'), {
      body: { channel_name: 'rm-room', payload: 'doors close at 10' },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.code, 'message_sent');
    await until(() => seen.length === 2, 'ChannelMessage on both');
    assert.deepEqual(seen.sort(), [
      'a:announcer:doors close at 10',
      'b:announcer:doors close at 10',
    ]);
    await Promise.all([a.logout(), b.logout()]);
  });

  test('bad input is refused with 400 naming the field and the limit, and sends nothing', async () => {
    const bob = await loggedIn(server, 'rm-victim');
    let received = 0;
    bob.on('MessageFromPeer', () => received++);
    const bad = async (path: string, o: Parameters<typeof rest>[2], field: RegExp) => {
      const r = await rest('POST', path, o);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.result, 'failed');
      assert.match(r.body.message, field);
    };
    const to = { destination: 'rm-victim' };
    await bad(peerPath('null'), { body: { ...to, payload: 'x' } }, /^user_id: must be 1-64/);
    await bad(
      peerPath('a'),
      { body: { destination: 'x'.repeat(65), payload: 'x' } },
      /^destination:/,
    );
    await bad(peerPath('a'), { body: { ...to, payload: '' } }, /^payload: must be a non-empty/);
    await bad(peerPath('a'), { body: { ...to, payload: 7 } }, /^payload:/);
    await bad(
      peerPath('a'),
      { body: { ...to, payload: 'é'.repeat(16 * 1024 + 1) } },
      /^payload: 32770 bytes; the limit is 32768 bytes$/,
    );
    await bad(
      peerPath('a'),
      { body: { ...to, payload: 'x', enable_offline_messaging: 'yes' } },
      /^enable_offline_messaging:/,
    );
    await bad(
      peerPath('a', '?wait_for_ack=maybe'),
      { body: { ...to, payload: 'x' } },
      /^wait_for_ack:/,
    );
    await bad(
      peerPath('a'),
      { raw: '{"destination": ', headers: { 'content-type': 'application/json' } },
      /^body: must be JSON/,
    );
    await bad(peerPath('a'), { body: [1, 2] }, /^body: must be a JSON object/);
    await bad(
      peerPath('a'),
      { body: { ...to, payload: 'x', pad: 'p'.repeat(64 * 1024) } },
      /^body: more than 65536 bytes; the limit is 65536 bytes$/,
    );
    await bad(channelPath('a'), { body: { channel_name: '', payload: 'x' } }, /^channel_name:/);
    await bad(
      `/dev/v2/project/bad!app/rtm/users/a/peer_messages`,
      { body: { ...to, payload: 'x' } },
      /^appId:/,
    );
    const wrong = await rest('POST', peerPath('a'), {
      body: { ...to, payload: 'x' },
      auth: basic('backend', 'nope'),
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /^authorization:/);
    const none = await rest('POST', peerPath('a'), {
      body: { ...to, payload: 'x' },
      auth: undefined,
    });
    assert.equal(none.status, 401);
    const method = await rest('GET', peerPath('a'));
    assert.equal(method.status, 405);
    const unknown = await rest('POST', `/dev/v2/project/${APP}/rtm/users/a/nothing`);
    assert.equal(unknown.status, 404);
    // Everything above was refused: one good message is the only one the receiver sees.
    await rest('POST', peerPath('a'), { body: { ...to, payload: 'the only one' } });
    await until(() => received === 1, 'the good message');
    assert.equal(received, 1);
    await bob.logout();
  });
});

describe('REST auth with an RTM token, limits on the manual clock', () => {
  const CERT = '0123456789abcdef0123456789abcdef';
  const appId = 'certified_app';

  test('x-agora-token + x-agora-uid may send only as that uid', async (t) => {
    const server = await testServer({ restKeys: KEYS, apps: [{ appId, appCertificate: CERT }] });
    t.after(() => server.close());
    const rest = restClient(server.port);
    const token = buildRtmToken007(appId, CERT, 'tok-user', 3600);
    const raw = await RawSocket.open(server.url);
    const login = await raw.request({
      t: 'login',
      i: 1,
      a: appId,
      u: 'tok-rx',
      k: buildRtmToken007(appId, CERT, 'tok-rx', 3600),
    });
    assert.equal(login.t, 'ok');
    const path = (from: string) => `/dev/v2/project/${appId}/rtm/users/${from}/peer_messages`;
    const body = { destination: 'tok-rx', payload: 'signed by my token' };
    const headers = { 'x-agora-token': token, 'x-agora-uid': 'tok-user' };
    const ok = await rest('POST', path('tok-user'), { body, headers });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.code, 'message_sent');
    const other = await rest('POST', path('someone-else'), { body, headers });
    assert.equal(other.status, 401);
    assert.match(other.body.message, /may send only as "tok-user"/);
    const forged = await rest('POST', path('tok-user'), {
      body,
      headers: { ...headers, 'x-agora-uid': 'tok-rx' },
    });
    assert.equal(forged.status, 401, 'a token is only good for its own uid');
    const events = await rest('GET', `/dev/v2/project/${appId}/rtm/vendor/user_events`, {
      headers,
    });
    assert.equal(events.status, 401, 'a token may only send');
    await until(() => raw.frames.filter((f) => f.t === 'msg').length === 1, 'the one message');
    assert.deepEqual(
      raw.frames.filter((f) => f.t === 'msg').map((f) => f.f),
      ['tok-user'],
    );
    raw.close();
  });

  test('wait_for_ack=true answers 408 when the ack does not come within PARLEY_REST_ACK_TIMEOUT_MS', async (t) => {
    const clock = new ManualClock(Date.now());
    const server = await testServer({ restKeys: KEYS, restAckTimeoutMs: 10_000, clock });
    t.after(() => server.close());
    const rest = restClient(server.port, AUTH);
    const raw = await rawLogin(server, 'to-mute');
    const call = rest('POST', peerPath('to-src', '?wait_for_ack=true'), {
      body: { destination: 'to-mute', payload: 'never acked' },
    });
    await until(() => raw.frames.some((f) => f.t === 'msg'), 'the push');
    await clock.advance(10_000);
    const r = await call;
    assert.equal(r.status, 408);
    assert.equal(r.body.code, 'timeout');
    assert.match(r.body.message, /within 10000 ms/);
    raw.close();
  });
});

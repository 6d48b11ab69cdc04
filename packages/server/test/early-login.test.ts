import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import WebSocket from 'ws';
import {
  CloseCode,
  EARLY_LOGIN_PARAM,
  SUBPROTOCOL,
  SUBPROTOCOL_EARLY_LOGIN,
} from '@parley/protocol';
import { APP, client, loggedIn, RawSocket, testServer } from '@parley/testkit';
import { queryParam } from '../src/gateway.js';

const b64 = (frame: unknown) => Buffer.from(JSON.stringify(frame)).toString('base64url');

/** A raw upgrade request offering the early-login subprotocol: every byte the server answers. */
function rawUpgrade(
  port: number,
  login: string,
  query = `${EARLY_LOGIN_PARAM}=${login}`,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.includes('"t":"ok"') || all.includes('"t":"err"')) {
        sock.destroy();
        resolve(all);
      }
    });
    sock.on('error', reject);
    sock.write(
      `GET /?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL_EARLY_LOGIN}, ${SUBPROTOCOL}\r\n\r\n`,
    );
  });
}

test('a login in the upgrade URL is answered right behind the 101', async () => {
  const server = await testServer();
  try {
    const bytes = await rawUpgrade(server.port, b64({ t: 'login', i: 1, a: APP, u: 'el-raw' }));
    const text = bytes.toString('latin1');
    assert.match(text, /^HTTP\/1\.1 101 /);
    assert.match(text, new RegExp(`Sec-WebSocket-Protocol: ${SUBPROTOCOL_EARLY_LOGIN}`, 'i'));
    const body = bytes.subarray(text.indexOf('\r\n\r\n') + 4);
    assert.equal(body[0], 0x81, 'a text frame follows the 101');
    const reply = JSON.parse(body.subarray(2).toString()) as { t: string; i: number };
    assert.equal(reply.t, 'ok');
    assert.equal(reply.i, 1);
  } finally {
    await server.close();
  }
});

test('the login is found among other query parameters, escaped or not', async () => {
  const server = await testServer();
  try {
    const uid = (k: number) => `el-q${k}`;
    const login = (k: number) => b64({ t: 'login', i: 1, a: APP, u: uid(k) });
    const escaped = (text: string) =>
      text.replace(/[-_]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const queries = [
      (k: number) => `x=1&${EARLY_LOGIN_PARAM}=${login(k)}&y=2`,
      (k: number) => `${EARLY_LOGIN_PARAM}x=junk&&${EARLY_LOGIN_PARAM}=${login(k)}`,
      (k: number) => `${EARLY_LOGIN_PARAM}=${login(k)}&${EARLY_LOGIN_PARAM}=junk`,
      (k: number) => `a=b+c&${EARLY_LOGIN_PARAM}=${escaped(login(k))}`,
    ];
    const logins: string[] = [];
    server.events.on('login', (e) => logins.push(e.uid));
    for (const [k, query] of queries.entries()) {
      const text = (await rawUpgrade(server.port, '', query(k))).toString('latin1');
      assert.match(text, /^HTTP\/1\.1 101 /);
      assert.match(text, /"t":"ok"/, query(k));
    }
    assert.deepEqual(
      logins,
      queries.map((_, k) => uid(k)),
    );
  } finally {
    await server.close();
  }
});

test('queryParam answers what URLSearchParams.get answers', () => {
  const parts = [
    'login=abc',
    'login=',
    'login',
    'loginx=1',
    'xlogin=2',
    'a=1',
    '',
    'login=d-_e',
    'login=%41',
    'login=a+b',
    'b=login=c',
  ];
  for (const a of parts)
    for (const b of parts)
      for (const c of ['', '&', '&a=2']) {
        const query = `${a}&${b}${c}`;
        const url = `/path?${query}`;
        assert.equal(
          queryParam(url, url.indexOf('?') + 1, 'login'),
          new URLSearchParams(query).get('login'),
          query,
        );
      }
});

test('an early login logs the socket in; a client that also offers parley.v1 still works without it', async () => {
  const server = await testServer();
  try {
    const url = `${server.url}/?${EARLY_LOGIN_PARAM}=${b64({ t: 'login', i: 1, a: APP, u: 'el-a' })}`;
    const ws = new WebSocket(url, [SUBPROTOCOL_EARLY_LOGIN, SUBPROTOCOL]);
    const frames: { t: string; i?: number; s?: number }[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { t: string; i?: number; s?: number };
      frames.push(f);
      if (f.t === 'msg') ws.send(JSON.stringify({ t: 'ack', s: f.s }));
    });
    await new Promise((r) => ws.once('open', r));
    assert.equal(ws.protocol, SUBPROTOCOL_EARLY_LOGIN);
    const peer = await RawSocket.open(server.url);
    assert.equal((await peer.request({ t: 'login', i: 1, a: APP, u: 'el-b' })).t, 'ok');
    // el-a is logged in: a peer message reaches it and its ack counts (no login frame was sent).
    const r = await peer.request({ t: 'psend', i: 2, to: 'el-a', m: { k: 'T', x: 'hi' } });
    assert.equal((r as { r: { recv: boolean } }).r.recv, true);
    assert.equal(frames[0]?.t, 'ok');
    assert.ok(frames.some((f) => f.t === 'msg'));
    ws.close();
    peer.close();

    // Offering the early-login subprotocol without a login in the URL: plain parley.v1.
    const plain = new WebSocket(server.url, [SUBPROTOCOL_EARLY_LOGIN, SUBPROTOCOL]);
    await new Promise((r) => plain.once('open', r));
    assert.equal(plain.protocol, SUBPROTOCOL);
    plain.close();
  } finally {
    await server.close();
  }
});

test('an early "login" that is not a login frame closes the socket with BAD_FRAME', async () => {
  const server = await testServer();
  try {
    for (const bad of [b64({ t: 'ping' }), 'not-base64-json']) {
      const ws = new WebSocket(`${server.url}/?${EARLY_LOGIN_PARAM}=${bad}`, [
        SUBPROTOCOL_EARLY_LOGIN,
        SUBPROTOCOL,
      ]);
      const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
      assert.equal(code, CloseCode.BAD_FRAME);
    }
  } finally {
    await server.close();
  }
});

test('the SDK with earlyLogin logs in during the upgrade and messages as usual', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const logins: string[] = [];
  server.events.on('login', (e) => logins.push(e.uid));
  const a = client(server, { earlyLogin: true });
  await a.login({ uid: 'el-sdk-a' });
  const b = await loggedIn(server, 'el-sdk-b');
  const got: string[] = [];
  a.on('MessageFromPeer', (m) => got.push((m as { text: string }).text));
  const r = await b.sendMessageToPeer({ text: 'over an early login' }, 'el-sdk-a');
  assert.equal(r.hasPeerReceived, true);
  assert.deepEqual(got, ['over an early login']);
  assert.deepEqual(logins, ['el-sdk-a', 'el-sdk-b']);
  await Promise.all([a.logout(), b.logout()]);
});

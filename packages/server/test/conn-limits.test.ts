/**
 * HTTP and connection limits over real sockets: half-sent requests are answered 408 and closed
 * after the headers timeout; past PARLEY_MAX_CONNECTIONS (or per address) HTTP gets 503 and a
 * WebSocket a close 1013, each with a reason naming the limit; a frame too big closes 1009 with
 * a reason naming the limit. On two Redis nodes, against the second (each node counts its own).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import type { RunningServer, ServerConfig } from '../src/index.js';
import {
  APP,
  loggedIn,
  RawSocket,
  startTopology,
  TOPOLOGIES,
  type TopologyName,
} from '@parley/testkit';

/** The deployment `kind`, closed when the test ends: [the other node, the node under test]. */
async function nodes(
  t: { after(fn: () => Promise<void>): void },
  kind: TopologyName,
  overrides: Partial<ServerConfig> = {},
): Promise<readonly [RunningServer, RunningServer]> {
  const topo = await startTopology(kind, overrides);
  t.after(() => topo.close());
  return topo.nodes;
}

/** A TCP socket that sent `text` and keeps reading: resolves with all it got once it closed. */
function held(port: number, text: string, localAddress = '127.0.0.1') {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  let got = '';
  socket.on('data', (d) => (got += d.toString()));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((r) => socket.once('connect', () => r()));
  const closed = new Promise<string>((r) => socket.once('close', () => r(got)));
  void connected.then(() => socket.write(text));
  return { socket, connected, closed };
}

/** One HTTP GET over a fresh connection: status and body. */
async function get(port: number, path: string, localAddress = '127.0.0.1') {
  const h = held(
    port,
    `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    localAddress,
  );
  const raw = await h.closed;
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body };
}

// The deadline is Node's own default headers timeout (60 s): without the option it is reached.
for (const kind of TOPOLOGIES)
  test(
    `${kind}: a half-sent request is answered 408 and closed after the headers timeout`,
    { timeout: 30_000 },
    async (t) => {
      const [, server] = await nodes(t, kind, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
      const half = held(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
      const got = await half.closed; // Node's default (60 s, checked every 30 s) outlasts the test
      assert.match(got, /^HTTP\/1\.1 408/);
      const body = held(
        server.port,
        'POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab',
      );
      // Unknown routes are answered before the body; the connection still ends on the timeout.
      assert.match(
        await body.closed,
        /HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n$/,
        'a body that never ends, after the request timeout',
      );
      assert.equal((await get(server.port, '/healthz')).status, 200);
    },
  );

for (const kind of TOPOLOGIES)
  test(`${kind}: past PARLEY_MAX_CONNECTIONS: HTTP 503 and WebSocket close 1013 with the reason; room again once one closes`, async (t) => {
    const [other, server] = await nodes(t, kind, {
      maxConnections: 3,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 60_000,
    });
    const holders = [0, 1, 2].map(() => held(server.port, 'GET / HTTP/1.1\r\n'));
    await Promise.all(holders.map((h) => h.connected));
    const refused = await get(server.port, '/healthz');
    assert.equal(refused.status, 503);
    assert.match(refused.body, /the limit is 3 \(PARLEY_MAX_CONNECTIONS\)/);
    const raw = await RawSocket.open(server.url);
    const closed = await raw.waitClosed();
    assert.equal(closed.code, 1013);
    assert.match(closed.reason, /the limit is 3 \(PARLEY_MAX_CONNECTIONS\)/);
    if (other !== server)
      assert.equal(
        (await get(other.port, '/healthz')).status,
        200,
        'the other node counts its own',
      );
    holders[0]!.socket.destroy();
    await holders[0]!.closed;
    // The server sees that close on its own turn: ask until it has.
    let status = 0;
    for (let n = 0; n < 1000 && status !== 200; n++)
      status = (await get(server.port, '/healthz')).status;
    assert.equal(status, 200);
    const c = await loggedIn(server, 'cl-user');
    await c.logout();
    for (const h of holders) h.socket.destroy();
  });

/** Opens a WebSocket and logs in: true if the server kept it, false if it closed it. */
async function admitted(url: string, uid: string): Promise<RawSocket | undefined> {
  const s = await RawSocket.open(url);
  try {
    const reply = await s.request({ t: 'login', i: 1, a: APP, u: uid });
    if (reply.t === 'ok') return s;
  } catch {
    // closed before the reply: refused
  }
  s.close();
  return undefined;
}

for (const kind of TOPOLOGIES)
  test(`${kind}: a WebSocket that closes gives its place under PARLEY_MAX_CONNECTIONS back, once`, async (t) => {
    const [, server] = await nodes(t, kind, { maxConnections: 2 });
    const a = await admitted(server.url, 'cl-a');
    const b = await admitted(server.url, 'cl-b');
    assert.ok(a && b, 'two within the limit');
    assert.equal(await admitted(server.url, 'cl-refused'), undefined, 'a third is refused');
    a.close();
    await a.waitClosed();
    // The server sees that close on its own turn: ask until it has.
    let c: RawSocket | undefined;
    for (let n = 0; n < 1000 && !c; n++) c = await admitted(server.url, `cl-c${n}`);
    assert.ok(c, 'the closed one’s place is free again');
    assert.equal(await admitted(server.url, 'cl-over'), undefined, 'and only that one place');
    b.close();
    c.close();
  });

for (const kind of TOPOLOGIES)
  test(`${kind}: past PARLEY_MAX_CONNECTIONS_PER_IP: that address is refused, another is not`, async (t) => {
    const [, server] = await nodes(t, kind, {
      maxConnectionsPerIp: 2,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 60_000,
    });
    const holders = [0, 1].map(() => held(server.port, 'GET / HTTP/1.1\r\n'));
    await Promise.all(holders.map((h) => h.connected));
    const refused = await get(server.port, '/healthz');
    assert.equal(refused.status, 503);
    assert.match(
      refused.body,
      /from this address: the limit is 2 \(PARLEY_MAX_CONNECTIONS_PER_IP\)/,
    );
    assert.equal((await get(server.port, '/healthz', '127.0.0.2')).status, 200);
    for (const h of holders) h.socket.destroy();
  });

for (const kind of TOPOLOGIES)
  test(`${kind}: a frame over the limit closes 1009 with a reason naming the limit`, async (t) => {
    const [, server] = await nodes(t, kind);
    const raw = await RawSocket.open(server.url);
    raw.send({ t: 'ping', pad: 'x'.repeat(130 * 1024) });
    const closed = await raw.waitClosed();
    assert.equal(closed.code, 1009);
    assert.match(closed.reason, /larger than 131072 bytes \(maxFrameBytes\)/);
  });

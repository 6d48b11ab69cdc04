import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import { APP, RawSocket, testServer } from '@parley/testkit';

/**
 * A channel fan-out is framed once: every member's TCP stream gets the one same Buffer, a whole
 * WebSocket text frame (header + payload) in one write. If the Hub went back to framing per
 * receiver (`ws.send`), each socket would get its own header buffer and a second write.
 */
test('a fan-out writes one shared WebSocket frame to every member socket', async () => {
  const server = await testServer();
  try {
    const publisher = await RawSocket.open(server.url);
    assert.equal((await publisher.request({ t: 'login', i: 1, a: APP, u: 'fw-pub' })).t, 'ok');
    assert.equal((await publisher.request({ t: 'join', i: 2, c: 'fw-room' })).t, 'ok');
    const members: RawSocket[] = [];
    const writes = new Map<string, Buffer[]>();
    for (let k = 0; k < 4; k++) {
      const m = await RawSocket.open(server.url);
      const uid = `fw-m${k}`;
      assert.equal((await m.request({ t: 'login', i: 1, a: APP, u: uid })).t, 'ok');
      assert.equal((await m.request({ t: 'join', i: 2, c: 'fw-room' })).t, 'ok');
      members.push(m);
      const tcp = server.hub.byUserId(APP, uid)!.conn!.tcp as Duplex;
      const seen: Buffer[] = [];
      writes.set(uid, seen);
      const write = tcp.write.bind(tcp) as (chunk: unknown, ...rest: unknown[]) => boolean;
      tcp.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (Buffer.isBuffer(chunk) && chunk.includes('"cmsg"')) seen.push(chunk);
        else if (Buffer.isBuffer(chunk) && chunk.length <= 14) seen.push(chunk); // a lone header
        return write(chunk, ...rest);
      }) as typeof tcp.write;
    }
    publisher.send({ t: 'csend', i: 3, c: 'fw-room', m: { k: 'T', x: 'hello all' } });
    for (const m of members)
      await m.waitFor(() => m.frames.some((f) => f.t === 'cmsg'), 'the channel message');
    for (const m of members) {
      const got = m.frames.find((f) => f.t === 'cmsg')!;
      assert.deepEqual(got.m, { k: 'T', x: 'hello all' });
      assert.equal(got.f, 'fw-pub');
    }
    const all = [...writes.values()];
    for (const seen of all) assert.equal(seen.length, 1, 'one write per member socket');
    const first = all[0]![0]!;
    for (const seen of all) assert.equal(seen[0], first, 'the same Buffer object for every member');
    assert.equal(first[0], 0x81, 'FIN + text opcode, no RSV1 (no compression)');
    const len = first[1]!;
    assert.ok(len < 0x80, 'unmasked');
    const payload = len < 126 ? first.subarray(2) : first.subarray(4);
    assert.equal(JSON.parse(payload.toString()).t, 'cmsg');
    for (const m of [publisher, ...members]) m.close();
  } finally {
    await server.close();
  }
});

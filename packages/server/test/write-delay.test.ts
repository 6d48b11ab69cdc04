import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { APP, RawSocket, sleep, testServer, until } from '@parley/testkit';

/**
 * Channel messages published 20 ms apart to a member: how many TCP reads carried them. The
 * member reads its socket directly (the `ws` client's underlying socket); only reads holding
 * a channel message count (the member's other pushes, such as the publisher's join and the
 * member count, leave on timers of their own).
 */
async function readsFor(writeDelayMs: number): Promise<number> {
  const server = await testServer({ writeDelayMs });
  try {
    const member = await RawSocket.open(server.url);
    const publisher = await RawSocket.open(server.url);
    assert.equal((await member.request({ t: 'login', i: 1, a: APP, u: 'wd-member' })).t, 'ok');
    assert.equal((await publisher.request({ t: 'login', i: 1, a: APP, u: 'wd-pub' })).t, 'ok');
    assert.equal((await member.request({ t: 'join', i: 2, c: 'wd-room' })).t, 'ok');
    assert.equal((await publisher.request({ t: 'join', i: 2, c: 'wd-room' })).t, 'ok');
    let reads = 0;
    (member.ws as unknown as { _socket: Socket })._socket.on('data', (chunk: Buffer) => {
      if (chunk.includes('"t":"cmsg"')) reads++;
    });
    for (let k = 0; k < 5; k++) {
      publisher.send({ t: 'csend', i: 10 + k, c: 'wd-room', m: { k: 'T', x: `m${k}` } });
      await sleep(20);
    }
    const texts = () => member.frames.filter((f) => f.t === 'cmsg').map((f) => f.m);
    await until(() => texts().length === 5, 'five channel messages', 5000);
    assert.deepEqual(
      texts().map((m) => (m as { x: string }).x),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
    member.close();
    publisher.close();
    return reads;
  } finally {
    await server.close();
  }
}

test('a write delay holds a socket’s frames so those of several turns leave in one write', async () => {
  assert.equal(await readsFor(1000), 1, 'five publishes within the delay: one write');
  assert.ok((await readsFor(0)) >= 3, 'without a delay each publish leaves on its own');
});

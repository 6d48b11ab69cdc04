import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import net from 'node:net';
import { loggedIn, testServer, until } from '@parley/testkit';

test('1,000 members: each of 100 messages reaches every member but the sender exactly once, in order, encoded once; member events stop above 512; counts are throttled', async (t) => {
  const server = await testServer({ sendRateCount: 1_000_000 });
  t.after(() => server.close());
  const clients: RtmClient[] = [];
  t.after(() => Promise.all(clients.map((c) => c.logout().catch(() => undefined))));
  for (let k = 0; k < 1000; k += 50) {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: 50 }, (_, j) => loggedIn(server, `big-${k + j}`)),
      )),
    );
  }
  const received = clients.map(() => [] as number[]);
  const joinedSeen: string[] = [];
  const countTimes: { n: number; at: number }[] = [];
  const channels = clients.map((c, k) => {
    const ch = c.createChannel('big-room');
    ch.on('ChannelMessage', (m) => received[k]!.push(Number((m as { text: string }).text)));
    return ch;
  });
  channels[0]!.on('MemberJoined', (u) => joinedSeen.push(u));
  channels[0]!.on('MemberCountUpdated', (n) => countTimes.push({ n, at: Date.now() }));
  await channels[0]!.join();
  for (let k = 1; k < 1000; k += 50)
    await Promise.all(channels.slice(k, k + 50).map((ch) => ch.join()));
  await until(() => countTimes.at(-1)?.n === 1000, 'member count reaches 1000', 15_000);

  // MemberJoined for the 2nd to 512th member only: no member events once the channel is above 512.
  assert.equal(joinedSeen.length, 511);
  assert.equal(new Set(joinedSeen).size, 511, 'each join seen once');
  assert.ok(!joinedSeen.includes('big-0'), "never one's own join");
  // MemberCountUpdated: once right after joining, then at most once a second (3 s above 512).
  for (let k = 2; k < countTimes.length; k++) {
    const gap = countTimes[k]!.at - countTimes[k - 1]!.at;
    const min = countTimes[k - 1]!.n > 512 ? 2900 : 950;
    assert.ok(gap >= min, `count updates ${gap} ms apart (at ${countTimes[k - 1]!.n} members)`);
  }

  // Every socket write of the server (it runs in this process) ends in a net.Socket write:
  // record the Buffer objects that carry a server-framed (unmasked) channel message.
  const writes = new Map<Buffer, number>();
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, data: unknown, ...rest: unknown[]) {
    if (Buffer.isBuffer(data) && isChannelMessageFrame(data))
      writes.set(data, (writes.get(data) ?? 0) + 1);
    return (write as (...a: unknown[]) => boolean).call(this, data, ...rest);
  } as typeof write;
  t.after(() => (net.Socket.prototype.write = write));
  const sender = 500;
  for (let n = 0; n < 100; n++) await channels[sender]!.sendMessage({ text: String(n) });
  const expected = Array.from({ length: 100 }, (_, n) => n);
  await until(
    () => received.every((r, k) => k === sender || r.length === 100),
    'every member got 100 messages',
    30_000,
  );
  for (const [k, r] of received.entries()) {
    if (k === sender) assert.deepEqual(r, [], 'never echoed to the sender');
    else assert.deepEqual(r, expected, `member ${k}: once each, in order`);
  }
  net.Socket.prototype.write = write;
  assert.equal(writes.size, 100, 'one bytes object per message, not one per member');
  assert.deepEqual(
    [...new Set(writes.values())],
    [999],
    'the same bytes written to each of the 999 other members',
  );
});

/** A whole unmasked WebSocket text frame whose payload is a `cmsg` (a client's would be masked). */
function isChannelMessageFrame(data: Buffer): boolean {
  if (data.length < 2 || data[0] !== 0x81 || (data[1]! & 0x80) !== 0) return false;
  const len = data[1]! & 0x7f;
  const start = len === 126 ? 4 : len === 127 ? 10 : 2;
  return data.subarray(start, start + 12).toString() === '{"t":"cmsg",';
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmError } from '@parley/sdk';
import {
  loggedIn,
  privateRedis,
  testServer,
  unhandledRejections,
  uniquePrefix,
  until,
} from '@parley/testkit';

test('Redis hung (SIGSTOP): requests that need it fail fast with their TIMEOUT code, same-node delivery goes on, all recovers', async (t) => {
  const redis = await privateRedis();
  t.after(() => redis.child.kill('SIGKILL'));
  const shared = { redisUrl: `redis://127.0.0.1:${redis.port}`, redisPrefix: uniquePrefix() };
  const n1 = await testServer(shared);
  const n2 = await testServer(shared);
  t.after(async () => {
    redis.child.kill('SIGCONT');
    await n1.close();
    await n2.close();
  });
  const unhandled = unhandledRejections(t);

  // The SDK's own request timeout is far off: an answer before it is the server's.
  const config = { requestTimeoutMs: 20_000 };
  const a = await loggedIn(n1, 'ro-a', config);
  const b = await loggedIn(n2, 'ro-b', config);
  const c = await loggedIn(n1, 'ro-c', config);
  const aGot: string[] = [];
  a.on('MessageFromPeer', (m) => aGot.push((m as { text: string }).text));
  assert.equal((await a.sendMessageToPeer({ text: 'before' }, 'ro-b')).hasPeerReceived, true);

  redis.child.kill('SIGSTOP');
  const failsFast = async (what: Promise<unknown>, code: number) => {
    const start = Date.now();
    await assert.rejects(what, (e: RtmError) => {
      assert.equal(e.code, code);
      assert.match(e.message, /shared store is unreachable/);
      return true;
    });
    return Date.now() - start;
  };
  // psend → PEER_MESSAGE_ERR_TIMEOUT (2); pquery → QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT (4);
  // getChannelMemberCount → GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT (4).
  const waits = [
    await failsFast(a.sendMessageToPeer({ text: 'during' }, 'ro-b'), 2),
    await failsFast(a.queryPeersOnlineStatus(['ro-b']), 4),
    await failsFast(a.getChannelMemberCount(['ro-room']), 4),
  ];
  assert.ok(
    waits.every((ms) => ms < 10_000),
    `answered in ${waits.join(', ')} ms`,
  );
  // Same node: no Redis on the way.
  assert.equal((await c.sendMessageToPeer({ text: 'same node' }, 'ro-a')).hasPeerReceived, true);
  await until(() => aGot.includes('same node'), 'same-node delivery during the outage');

  redis.child.kill('SIGCONT');
  let delivered = false;
  const start = Date.now();
  while (!delivered && Date.now() - start < 10_000) {
    delivered = await a
      .sendMessageToPeer({ text: 'after' }, 'ro-b')
      .then((r) => r.hasPeerReceived)
      .catch(() => false);
  }
  assert.ok(delivered, 'cross-node delivery is back');
  assert.deepEqual(unhandled, []);
  await Promise.all([a.logout(), b.logout(), c.logout()]);
});

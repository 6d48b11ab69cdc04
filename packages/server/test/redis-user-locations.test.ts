/**
 * A node remembers where it found a user of another node (UserLocations) and sends that user's
 * next events straight there, on real Redis. Each test counts the sender node's registry
 * lookups of the receiver, and checks that what was sent arrives, in order, once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningServer } from '../src/index.js';
import { type RtmClient } from '@parley/sdk';
import { APP, client, REDIS_URL, testServer, uniquePrefix, until } from '@parley/testkit';

async function nodes(t: test.TestContext, n: number): Promise<RunningServer[]> {
  const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix(), sendRateCount: 1_000_000 };
  const out: RunningServer[] = [];
  for (let k = 0; k < n; k++) out.push(await testServer(shared));
  t.after(async () => {
    for (const s of out) await s.close().catch(() => undefined);
  });
  return out;
}

/** Counts `server`'s registry lookups of `uid`. */
function lookupsOf(server: RunningServer, uid: string): { count: number } {
  const users = server.backend.users;
  const locate = users.locateUser.bind(users);
  const seen = { count: 0 };
  users.locateUser = (app, u) => {
    if (u === uid) seen.count++;
    return locate(app, u);
  };
  return seen;
}

/** Logs `uid` in on `server`, recording the texts it receives. */
async function receiving(
  t: test.TestContext,
  server: RunningServer,
  uid: string,
): Promise<{ c: RtmClient; got: string[] }> {
  const c = client(server);
  const got: string[] = [];
  c.on('MessageFromPeer', (m) => got.push((m as { text: string }).text));
  await c.login({ uid });
  t.after(() => c.logout().catch(() => undefined));
  return { c, got };
}

async function sendAll(from: RtmClient, to: string, texts: string[]): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const text of texts) out.push((await from.sendMessageToPeer({ text }, to)).hasPeerReceived);
  return out;
}

const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${k}`);

test('messages to a user of another node: one lookup for all sent while it is under way, then each goes straight there, in order', async (t) => {
  const [n1, n2] = await nodes(t, 2);
  const { c: a } = await receiving(t, n1!, 'ul-a');
  const b = await receiving(t, n2!, 'ul-b');
  const lookups = lookupsOf(n1!, 'ul-b');
  // Fifty at once: the first looks the user up; the rest wait for that answer, none overtaking.
  const burst = await Promise.all(
    texts('m', 50).map((text) => a.sendMessageToPeer({ text }, 'ul-b')),
  );
  assert.ok(burst.every((r) => r.hasPeerReceived));
  assert.deepEqual(await sendAll(a, 'ul-b', texts('n', 5)), [true, true, true, true, true]);
  await until(() => b.got.length === 55, 'all 55 messages');
  assert.deepEqual(b.got, [...texts('m', 50), ...texts('n', 5)]);
  assert.equal(lookups.count, 1);
});

test('a remembered node the user left (logged in on a third): the message follows the user, in order, and the sender looks again once', async (t) => {
  const [n1, n2, n3] = await nodes(t, 3);
  const { c: a } = await receiving(t, n1!, 'ul-c');
  const first = await receiving(t, n2!, 'ul-d');
  const lookups = lookupsOf(n1!, 'ul-d');
  assert.deepEqual(await sendAll(a, 'ul-d', texts('before', 3)), [true, true, true]);
  assert.deepEqual(first.got, texts('before', 3));
  assert.equal(lookups.count, 1);

  // The user logs in on n3; n1 still remembers n2, which no longer holds the user.
  const second = await receiving(t, n3!, 'ul-d');
  await until(() => n2!.hub.byUserId(APP, 'ul-d') === undefined, 'n2 ended its session');
  assert.deepEqual(await sendAll(a, 'ul-d', texts('after', 5)), [true, true, true, true, true]);
  assert.deepEqual(second.got, texts('after', 5));
  assert.deepEqual(first.got, texts('before', 3), 'nothing more to the replaced session');
  // The first went to n2, which sent it on and told n1; the second looked n3 up.
  assert.equal(lookups.count, 2);
});

test('a remembered node that stopped listening: the message goes where the user is now, not parked', async (t) => {
  const [n1, n2, n3] = await nodes(t, 3);
  const { c: a } = await receiving(t, n1!, 'ul-e');
  const first = await receiving(t, n2!, 'ul-f');
  assert.equal((await a.sendMessageToPeer({ text: 'one' }, 'ul-f')).hasPeerReceived, true);
  await until(() => first.got.length === 1, 'the first message');
  await n2!.close();
  const second = await receiving(t, n3!, 'ul-f');
  const lookups = lookupsOf(n1!, 'ul-f');
  assert.equal((await a.sendMessageToPeer({ text: 'two' }, 'ul-f')).hasPeerReceived, true);
  await until(() => second.got.length === 1, 'the second message');
  assert.deepEqual(second.got, ['two']);
  assert.equal(lookups.count, 1, 'asked the registry once n2 heard nothing');
});

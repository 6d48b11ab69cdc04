import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorName } from '@parley/protocol';
import type { RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { clockedServer, eventually, loggedIn, testServer, until } from '@parley/testkit';

async function rejectsWith(p: Promise<unknown>, code: number, field: RegExp): Promise<void> {
  await assert.rejects(p, (e: RtmError) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, errorName('attributes', code));
    assert.match(e.message, field);
    return true;
  });
}

describe('user attributes', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('set, add or update, delete by keys, clear; others read them', async () => {
    const a = await loggedIn(server, 'ua-a');
    const b = await loggedIn(server, 'ua-b');
    await a.setLocalUserAttributes({ mood: 'happy', city: 'Oslo' });
    assert.deepEqual(await b.getUserAttributes('ua-a'), { mood: 'happy', city: 'Oslo' });
    await a.addOrUpdateLocalUserAttributes({ mood: 'busy', lang: 'no' });
    assert.deepEqual(await b.getUserAttributes('ua-a'), { mood: 'busy', city: 'Oslo', lang: 'no' });
    assert.deepEqual(await b.getUserAttributesByKeys('ua-a', ['lang', 'none']), { lang: 'no' });
    await a.deleteLocalUserAttributesByKeys(['city']);
    assert.deepEqual(await b.getUserAttributes('ua-a'), { mood: 'busy', lang: 'no' });
    await a.setLocalUserAttributes({ only: 'this' });
    assert.deepEqual(await b.getUserAttributes('ua-a'), { only: 'this' });
    await a.clearLocalUserAttributes();
    assert.deepEqual(await b.getUserAttributes('ua-a'), {});
    await Promise.all([a.logout(), b.logout()]);
  });

  test('cleared on logout; an offline user is USER_NOT_FOUND', async () => {
    const a = await loggedIn(server, 'ub-a');
    const b = await loggedIn(server, 'ub-b');
    await a.setLocalUserAttributes({ k: 'v' });
    await a.logout();
    await rejectsWith(b.getUserAttributes('ub-a'), 6, /not online/);
    await a.login({ uid: 'ub-a' });
    assert.deepEqual(await b.getUserAttributes('ub-a'), {});
    await Promise.all([a.logout(), b.logout()]);
  });

  test('size and count overflows and empty values are refused and change nothing', async () => {
    const a = await loggedIn(server, 'uc-a');
    await a.setLocalUserAttributes({ keep: 'me' });
    await rejectsWith(
      a.addOrUpdateLocalUserAttributes({ big: 'x'.repeat(8 * 1024 + 1) }),
      4,
      /8192/,
    );
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, k) => [`k${k}`, 'v']));
    await rejectsWith(a.setLocalUserAttributes(many), 4, /32/);
    const total = Object.fromEntries(
      Array.from({ length: 3 }, (_, k) => [`t${k}`, 'x'.repeat(6000)]),
    );
    await rejectsWith(a.addOrUpdateLocalUserAttributes(total), 4, /16384/);
    await rejectsWith(a.addOrUpdateLocalUserAttributes({ empty: '' }), 3, /non-empty/);
    await rejectsWith(a.addOrUpdateLocalUserAttributes({ ['k'.repeat(33)]: 'v' }), 3, /32/);
    assert.deepEqual(await a.getUserAttributes('uc-a'), { keep: 'me' });
    await a.logout();
  });

  test('the 11th attribute change within 5 s is refused with TOO_OFTEN', async () => {
    const a = await loggedIn(server, 'ud-a');
    for (let k = 0; k < 10; k++) await a.addOrUpdateLocalUserAttributes({ n: String(k) });
    await rejectsWith(a.addOrUpdateLocalUserAttributes({ n: 'eleven' }), 5, /5 s/);
    assert.deepEqual(await a.getUserAttributes('ud-a'), { n: '9' });
    await a.logout();
  });

  test('back-to-back changes of one user all land, in the order sent', async () => {
    const a = await loggedIn(server, 'ue-a');
    await Promise.all([
      ...Array.from({ length: 5 }, (_, k) => a.addOrUpdateLocalUserAttributes({ [`k${k}`]: 'v' })),
      ...Array.from({ length: 4 }, (_, k) => a.addOrUpdateLocalUserAttributes({ n: String(k) })),
      a.deleteLocalUserAttributesByKeys(['k0']),
    ]);
    assert.deepEqual(await a.getUserAttributes('ue-a'), {
      k1: 'v',
      k2: 'v',
      k3: 'v',
      k4: 'v',
      n: '3',
    });
    await a.logout();
  });
});

describe('channel attributes', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('usable without joining; notification carries every attribute with who and when', async () => {
    const member = await loggedIn(server, 'ca-member');
    const outsider = await loggedIn(server, 'ca-out');
    const ch = member.createChannel('ca-room');
    const updates: Record<
      string,
      { value: string; lastUpdateUserId: string; lastUpdateTs: number }
    >[] = [];
    ch.on('AttributesUpdated', (attrs) => updates.push(attrs));
    await ch.join();
    const before = Date.now();
    await outsider.setChannelAttributes(
      'ca-room',
      { topic: 'hello', lang: 'en' },
      { enableNotificationToChannelMembers: true },
    );
    await until(() => updates.length === 1, 'AttributesUpdated');
    assert.deepEqual(Object.keys(updates[0]!).sort(), ['lang', 'topic']);
    assert.equal(updates[0]!.topic!.value, 'hello');
    assert.equal(updates[0]!.topic!.lastUpdateUserId, 'ca-out');
    assert.ok(updates[0]!.topic!.lastUpdateTs >= before);
    // Without notification: changed, but members hear nothing (the next notified change below
    // would arrive after a notification of this one: it would be updates[1]).
    await outsider.addOrUpdateChannelAttributes('ca-room', { topic: 'quiet' });
    const attrs = await member.getChannelAttributes('ca-room');
    assert.equal(attrs.topic!.value, 'quiet');
    assert.deepEqual(Object.keys(await outsider.getChannelAttributesByKeys('ca-room', ['lang'])), [
      'lang',
    ]);
    await member.deleteChannelAttributesByKeys('ca-room', ['lang'], {
      enableNotificationToChannelMembers: true,
    });
    await until(() => updates.length === 2, 'second AttributesUpdated');
    assert.deepEqual(Object.keys(updates[1]!), ['topic']);
    assert.equal(updates[1]!.topic!.value, 'quiet');
    assert.equal(updates[1]!.topic!.lastUpdateUserId, 'ca-out');
    await member.clearChannelAttributes('ca-room', { enableNotificationToChannelMembers: true });
    await until(() => updates.length === 3, 'third AttributesUpdated');
    assert.deepEqual(updates[2], {});
    await Promise.all([member.logout(), outsider.logout()]);
  });

  test('changes of many clients at once: none lost, each notification has every change before it', async () => {
    const clients = await Promise.all(
      Array.from({ length: 10 }, (_, k) => loggedIn(server, `cc-${k}`)),
    );
    const member = clients[0]!.createChannel('cc-room');
    const sizes: number[] = [];
    member.on('AttributesUpdated', (attrs) => sizes.push(Object.keys(attrs).length));
    await member.join();
    await Promise.all(
      clients.map((c, k) =>
        c.addOrUpdateChannelAttributes(
          'cc-room',
          { [`k${k}`]: String(k) },
          { enableNotificationToChannelMembers: true },
        ),
      ),
    );
    await until(() => sizes.length === 10, 'ten AttributesUpdated');
    assert.deepEqual(
      sizes.sort((x, y) => x - y),
      Array.from({ length: 10 }, (_, k) => k + 1),
    );
    const attrs = await clients[1]!.getChannelAttributes('cc-room');
    assert.deepEqual(
      Object.keys(attrs).sort(),
      Array.from({ length: 10 }, (_, k) => `k${k}`),
    );
    for (const [k, a] of Object.entries(attrs))
      assert.equal(a.lastUpdateUserId, `cc-${k.slice(1)}`);
    await Promise.all(clients.map((c) => c.logout()));
  });

  test('overflows are refused and change nothing', async () => {
    const a = await loggedIn(server, 'cb-a');
    await a.setChannelAttributes('cb-room', { keep: 'me' });
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, k) => [`k${k}`, 'v']));
    await rejectsWith(a.addOrUpdateChannelAttributes('cb-room', many), 4, /32/);
    const total = Object.fromEntries(
      Array.from({ length: 5 }, (_, k) => [`t${k}`, 'x'.repeat(7000)]),
    );
    await rejectsWith(a.addOrUpdateChannelAttributes('cb-room', total), 4, /32768/);
    await rejectsWith(
      a.addOrUpdateChannelAttributes('cb-room', { v: 'x'.repeat(8193) }),
      4,
      /8192/,
    );
    await rejectsWith(a.setChannelAttributes('null', { k: 'v' }), 3, /channelId/);
    assert.deepEqual(Object.keys(await a.getChannelAttributes('cb-room')), ['keep']);
    await a.logout();
  });

  test('the 11th channel attribute change within 5 s is refused with TOO_OFTEN', async () => {
    const a = await loggedIn(server, 'cr-a');
    for (let k = 0; k < 10; k++) await a.addOrUpdateChannelAttributes('cr-room', { n: String(k) });
    await rejectsWith(a.addOrUpdateChannelAttributes('cr-room', { n: 'x' }), 5, /5 s/);
    assert.equal((await a.getChannelAttributes('cr-room')).n?.value, '9');
    await a.logout();
  });

  test('cleared once the channel has been empty for the configured time', async (t) => {
    // The server's own clock: the sweep and the emptiness age move only when the test says so.
    // The clients ping on real time, so the liveness windows are longer than the time advanced.
    const { server: timed, clock } = await clockedServer({
      channelAttributesClearMs: 10_000,
      channelAttributesSweepMs: 1000,
    });
    t.after(() => timed.close());
    const a = await loggedIn(timed, 'cc-a');
    const read = async (id: string): Promise<string[]> =>
      Object.keys(await a.getChannelAttributes(id));
    const ch = a.createChannel('cc-room');
    await ch.join();
    await a.setChannelAttributes('cc-room', { topic: 'stays while occupied' });
    await clock.advance(30_000);
    assert.equal((await a.getChannelAttributes('cc-room')).topic?.value, 'stays while occupied');
    await ch.leave();
    await clock.advance(8_000);
    assert.deepEqual(await read('cc-room'), ['topic'], 'kept while empty for less than 10 s');
    await clock.advance(3_000);
    await eventually(async () => (await read('cc-room')).length === 0, 'cc-room cleared');
    await a.setChannelAttributes('cc-never-joined', { k: 'v' });
    await clock.advance(8_000);
    assert.deepEqual(await read('cc-never-joined'), ['k'], 'kept for less than 10 s');
    await clock.advance(3_000);
    await eventually(
      async () => (await read('cc-never-joined')).length === 0,
      'never-joined cleared',
    );
    await a.logout();
  });
});

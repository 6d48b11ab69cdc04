import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmClient, RtmError, RtmMetadata } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { clockedServer, eventually, loggedIn, testServer, until } from '@parley/testkit';

function item(c: RtmClient, key: string, value: string | null, revision?: number) {
  const it = c.createMetadataItem();
  it.setKey(key);
  it.setValue(value);
  if (revision !== undefined) it.setRevision(revision);
  return it;
}

const plain = (m: RtmMetadata) => ({
  majorRevision: m.majorRevision,
  items: m.items.map((i) => ({
    key: i.getKey(),
    value: i.getValue(),
    revision: i.getRevision(),
    ts: i.getUpdateTs(),
    author: i.getAuthorUserId(),
  })),
});

describe('user metadata', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('set, add, update, delete, clear; revisions and majorRevision advance; ts and author recorded on request', async () => {
    const a = await loggedIn(server, 'um-a');
    const b = await loggedIn(server, 'um-b');
    await a.setLocalUserMetadata([item(a, 'color', 'red'), item(a, 'size', 'L')]);
    let m = plain(await b.getUserMetadata('um-a'));
    assert.equal(m.majorRevision, 1);
    assert.deepEqual(m.items, [
      { key: 'color', value: 'red', revision: 1, ts: 0, author: '' },
      { key: 'size', value: 'L', revision: 1, ts: 0, author: '' },
    ]);
    const before = Date.now();
    await a.updateLocalUserMetadata([item(a, 'color', 'blue')], {
      enableRecordTs: true,
      enableRecordUserId: true,
    });
    m = plain(await b.getUserMetadata('um-a'));
    assert.equal(m.majorRevision, 2);
    const color = m.items.find((i) => i.key === 'color')!;
    assert.equal(color.value, 'blue');
    assert.equal(color.revision, 2);
    assert.equal(color.author, 'um-a');
    assert.ok(color.ts >= before);
    await assert.rejects(
      a.addLocalUserMetadata([item(a, 'size', 'XL')]),
      (e: RtmError) => e.code === 5,
    );
    await assert.rejects(
      a.updateLocalUserMetadata([item(a, 'missing', 'x')]),
      (e: RtmError) => e.code === 3 && /missing/.test(e.message),
    );
    await a.addLocalUserMetadata([item(a, 'shape', 'round')]);
    await a.deleteLocalUserMetadata([item(a, 'size', null)]);
    assert.deepEqual(
      plain(await b.getUserMetadata('um-a')).items.map((i) => i.key),
      ['color', 'shape'],
    );
    await a.clearLocalUserMetadata();
    assert.deepEqual(plain(await b.getUserMetadata('um-a')).items, []);
    await Promise.all([a.logout(), b.logout()]);
  });

  test('a stale item revision or majorRevision fails with OUTDATE_REVISION and changes nothing', async () => {
    const a = await loggedIn(server, 'ur-a');
    await a.setLocalUserMetadata([item(a, 'k', 'v1')]);
    const current = await a.getUserMetadata('ur-a');
    const rev = current.items[0]!.getRevision();
    await a.setLocalUserMetadata([item(a, 'k', 'v2', rev)]);
    await assert.rejects(
      a.setLocalUserMetadata([item(a, 'k', 'v3', rev)]),
      (e: RtmError) => e.code === 8,
    );
    await assert.rejects(
      a.setLocalUserMetadata([item(a, 'k', 'v3')], { majorRevision: current.majorRevision }),
      (e: RtmError) => e.code === 8,
    );
    const after = await a.getUserMetadata('ur-a');
    assert.equal(after.items[0]!.getValue(), 'v2');
    await a.setLocalUserMetadata([item(a, 'k', 'v4')], { majorRevision: after.majorRevision });
    assert.equal((await a.getUserMetadata('ur-a')).items[0]!.getValue(), 'v4');
    await a.logout();
  });

  test('back-to-back writes of one user all land, each advancing the majorRevision by one', async () => {
    const a = await loggedIn(server, 'ub-a');
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => a.setLocalUserMetadata([item(a, `k${k}`, String(k))])),
    );
    const m = plain(await a.getUserMetadata('ub-a'));
    assert.equal(m.majorRevision, 8);
    assert.deepEqual(
      m.items.map((i) => [i.key, i.value, i.revision]),
      Array.from({ length: 8 }, (_, k) => [`k${k}`, String(k), k + 1]),
      'applied in the order sent',
    );
    await a.logout();
  });

  test('subscribers get UserMetaDataUpdated on each change, and an empty one when the user logs out', async () => {
    const a = await loggedIn(server, 'us-a');
    const w = await loggedIn(server, 'us-w');
    const seen: { uid: string; keys: string[] }[] = [];
    w.on('UserMetaDataUpdated', (uid, data) =>
      seen.push({ uid, keys: data.items.map((i) => i.getKey()) }),
    );
    await w.subscribeUserMetadata('us-a');
    await a.setLocalUserMetadata([item(a, 'x', '1')]);
    await a.addLocalUserMetadata([item(a, 'y', '2')]);
    await a.logout();
    await until(() => seen.length === 3, 'three updates');
    assert.deepEqual(seen, [
      { uid: 'us-a', keys: ['x'] },
      { uid: 'us-a', keys: ['x', 'y'] },
      { uid: 'us-a', keys: [] },
    ]);
    await w.unsubscribeUserMetadata('us-a');
    await a.login({ uid: 'us-a' });
    await a.setLocalUserMetadata([item(a, 'z', '3')]);
    // Subscribed again, the next change arrives: an update of 'z' would have come before it.
    await w.subscribeUserMetadata('us-a');
    await a.addLocalUserMetadata([item(a, 'after', '4')]);
    await until(() => seen.length >= 4, 'the update after subscribing again');
    assert.deepEqual(
      seen.slice(3),
      [{ uid: 'us-a', keys: ['z', 'after'] }],
      'none while unsubscribed',
    );
    await Promise.all([a.logout(), w.logout()]);
  });

  test('oversized values, too many items, bad keys are refused', async () => {
    const a = await loggedIn(server, 'uo-a');
    await assert.rejects(
      a.setLocalUserMetadata([item(a, 'k', 'x'.repeat(8193))]),
      (e: RtmError) => e.code === 4 && /8192/.test(e.message),
    );
    const many = Array.from({ length: 33 }, (_, k) => item(a, `k${k}`, 'v'));
    await assert.rejects(a.setLocalUserMetadata(many), (e: RtmError) => e.code === 4);
    await assert.rejects(
      a.setLocalUserMetadata([item(a, '', 'v')]),
      (e: RtmError) => e.code === 3 && /key/.test(e.message),
    );
    await assert.rejects(a.getUserMetadata('null'), (e: RtmError) => e.code === 2);
    assert.deepEqual((await a.getUserMetadata('uo-a')).items, []);
    await a.logout();
  });
});

describe('channel metadata', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('members write and read it; ChannelMetaDataUpdated on the channel and the client; not-in-channel refused', async () => {
    const a = await loggedIn(server, 'cm-a');
    const b = await loggedIn(server, 'cm-b');
    const ca = a.createChannel('cm-room');
    const cb = b.createChannel('cm-room');
    await ca.join();
    await cb.join();
    const onChannel: number[] = [];
    const onClient: number[] = [];
    cb.on('ChannelMetaDataUpdated', (d) => onChannel.push(d.items.length));
    b.on('ChannelMetaDataUpdated', (d) => onClient.push(d.items.length));
    await ca.setChannelMetadata([item(a, 'topic', 'metadata'), item(a, 'pin', 'msg-1')], {
      enableRecordUserId: true,
    });
    await until(() => onChannel.length === 1 && onClient.length === 1, 'ChannelMetaDataUpdated');
    const m = await cb.getChannelMetadata();
    assert.equal(m.majorRevision, 1);
    assert.equal(m.items.find((i) => i.getKey() === 'topic')!.getAuthorUserId(), 'cm-a');
    await assert.rejects(
      cb.updateChannelMetadata([item(b, 'topic', 'x', 99)]),
      (e: RtmError) => e.code === 8,
    );
    const outsider = await loggedIn(server, 'cm-out');
    await assert.rejects(
      outsider.createChannel('cm-room').setChannelMetadata([item(outsider, 'k', 'v')]),
      (e: RtmError) => e.code === 9,
    );
    await cb.clearChannelMetadata();
    await until(() => onChannel.length === 2, 'second update');
    assert.deepEqual(onChannel, [2, 0]);
    await Promise.all([a.logout(), b.logout(), outsider.logout()]);
  });

  test('writes of many members at once: none lost; of those naming one majorRevision, exactly one succeeds', async () => {
    const members = await Promise.all(
      Array.from({ length: 10 }, (_, k) => loggedIn(server, `cw-${k}`)),
    );
    const channels = members.map((c) => c.createChannel('cw-room'));
    await Promise.all(channels.map((ch) => ch.join()));
    await Promise.all(
      channels.map((ch, k) => ch.setChannelMetadata([item(members[k]!, `k${k}`, String(k))])),
    );
    const m = plain(await channels[0]!.getChannelMetadata());
    assert.equal(m.majorRevision, 10);
    assert.deepEqual(
      m.items.map((i) => i.key).sort(),
      Array.from({ length: 10 }, (_, k) => `k${k}`),
    );
    assert.deepEqual(
      m.items.map((i) => i.revision).sort((x, y) => x - y),
      Array.from({ length: 10 }, (_, k) => k + 1),
    );
    const outcomes = await Promise.all(
      channels.map((ch, k) =>
        ch.setChannelMetadata([item(members[k]!, 'winner', String(k))], { majorRevision: 10 }).then(
          () => 'ok',
          (e: RtmError) => `code ${e.code}`,
        ),
      ),
    );
    assert.equal(outcomes.filter((o) => o === 'ok').length, 1, outcomes.join(', '));
    assert.equal(outcomes.filter((o) => o === 'code 8').length, 9);
    const after = plain(await channels[0]!.getChannelMetadata());
    assert.equal(after.majorRevision, 11);
    assert.equal(
      after.items.find((i) => i.key === 'winner')?.value,
      String(outcomes.indexOf('ok')),
    );
    await Promise.all(members.map((c) => c.logout()));
  });

  test('cleared once the channel has been empty for the configured time', async (t) => {
    // The server's clock moves only when the test says so; the clients ping on real time, so
    // the liveness windows are longer than the time advanced.
    const { server: timed, clock } = await clockedServer({
      channelAttributesClearMs: 10_000,
      channelAttributesSweepMs: 1000,
    });
    t.after(() => timed.close());
    const a = await loggedIn(timed, 'ce-a');
    const ch = a.createChannel('ce-room');
    await ch.join();
    await ch.setChannelMetadata([item(a, 'k', 'v')]);
    await clock.advance(30_000);
    assert.equal((await ch.getChannelMetadata()).items.length, 1, 'kept while occupied');
    await ch.leave();
    await clock.advance(8_000);
    assert.equal((await ch.getChannelMetadata()).items.length, 1, 'kept while empty < 10 s');
    await clock.advance(3_000);
    await eventually(
      async () => (await ch.getChannelMetadata()).items.length === 0,
      'ce-room metadata cleared',
    );
    await a.logout();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { client, loggedIn, testServer, until } from '@parley/testkit';

describe('peer messages', () => {
  let server: RunningServer;
  before(async () => {
    // The send rate is not under test here; 10 senders x 1,000 messages would take 17 s at 180/3 s.
    server = await testServer({ sendRateCount: 1_000_000 });
  });
  after(() => server.close());

  test('10,000 messages from 10 senders arrive complete and in per-sender order', async () => {
    const receiver = client(server);
    const bySender = new Map<string, number[]>();
    receiver.on('MessageFromPeer', (m, from) => {
      const list = bySender.get(from) ?? [];
      list.push(Number((m as { text: string }).text));
      bySender.set(from, list);
    });
    await receiver.login({ uid: 'bulk-rx' });
    const senders = await Promise.all(
      Array.from({ length: 10 }, (_, k) => loggedIn(server, `bulk-tx-${k}`)),
    );
    const results = await Promise.all(
      senders.map((s) =>
        Promise.all(
          Array.from({ length: 1000 }, (_, n) =>
            s.sendMessageToPeer({ text: String(n) }, 'bulk-rx'),
          ),
        ),
      ),
    );
    const expected = Array.from({ length: 1000 }, (_, n) => n);
    await until(
      () => [...bySender.values()].reduce((a, l) => a + l.length, 0) >= 10_000,
      'all messages',
      30_000,
    );
    assert.equal(bySender.size, 10);
    for (let k = 0; k < 10; k++)
      assert.deepEqual(bySender.get(`bulk-tx-${k}`), expected, `sender ${k} in order, once each`);
    assert.ok(results.flat().every((r) => r.hasPeerReceived === true));
    await Promise.all([receiver.logout(), ...senders.map((s) => s.logout())]);
  });

  test('hasPeerReceived is true for an online peer and false for an offline one', async () => {
    const a = await loggedIn(server, 'hpr-a');
    const b = await loggedIn(server, 'hpr-b');
    assert.deepEqual(await a.sendMessageToPeer({ text: 'hi' }, 'hpr-b'), { hasPeerReceived: true });
    assert.deepEqual(await a.sendMessageToPeer({ text: 'hi' }, 'hpr-nobody'), {
      hasPeerReceived: false,
    });
    await Promise.all([a.logout(), b.logout()]);
  });

  test('raw messages keep their bytes and description; serverReceivedTs is set', async () => {
    const a = await loggedIn(server, 'raw-a');
    const b = client(server);
    const got: { m: RtmMessage; from: string; ts: number; off: boolean | undefined }[] = [];
    b.on('MessageFromPeer', (m, from, p) =>
      got.push({ m, from, ts: p.serverReceivedTs, off: p.isOfflineMessage }),
    );
    await b.login({ uid: 'raw-b' });
    const before = Date.now();
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 128]);
    await a.sendMessageToPeer({ rawMessage: bytes, description: 'six bytes' }, 'raw-b');
    await a.sendMessageToPeer(a.createMessage({ text: 'plain' }), 'raw-b');
    await until(() => got.length === 2, 'two messages');
    assert.deepEqual(got[0]!.m, {
      rawMessage: bytes,
      description: 'six bytes',
      messageType: 'RAW',
    });
    assert.deepEqual(got[1]!.m, { text: 'plain', messageType: 'TEXT' });
    assert.equal(got[0]!.from, 'raw-a');
    assert.equal(got[0]!.off, false);
    assert.ok(got[0]!.ts >= before - 5 && got[0]!.ts <= Date.now());
    await Promise.all([a.logout(), b.logout()]);
  });

  test('the 201st stored message evicts the oldest; stored messages arrive flagged, in order', async () => {
    const a = await loggedIn(server, 'off-a');
    for (let n = 1; n <= 201; n++) {
      const r = await a.sendMessageToPeer({ text: `m${n}` }, 'off-b', {
        enableOfflineMessaging: true,
      });
      assert.equal(r.hasPeerReceived, false);
    }
    const b = client(server);
    const got: string[] = [];
    let flagged = 0;
    b.on('MessageFromPeer', (m, _f, p) => {
      got.push((m as { text: string }).text);
      if (p.isOfflineMessage) flagged++;
    });
    await b.login({ uid: 'off-b' });
    await until(() => got.length === 200, '200 stored messages');
    assert.deepEqual(
      got,
      Array.from({ length: 200 }, (_, k) => `m${k + 2}`),
    );
    assert.equal(flagged, 200);
    // Acknowledged messages are gone: a new login gets nothing.
    await b.logout();
    const again = client(server);
    const second: string[] = [];
    again.on('MessageFromPeer', (m) => second.push((m as { text: string }).text));
    await again.login({ uid: 'off-b' });
    await a.sendMessageToPeer({ text: 'marker' }, 'off-b');
    await until(() => second.length >= 1, 'marker');
    assert.deepEqual(second, ['marker']);
    await Promise.all([a.logout(), again.logout()]);
  });

  test('without enableOfflineMessaging nothing is stored for an offline peer', async () => {
    const a = await loggedIn(server, 'nooff-a');
    await a.sendMessageToPeer({ text: 'lost on purpose' }, 'nooff-b');
    const b = client(server);
    const got: string[] = [];
    b.on('MessageFromPeer', (m) => got.push((m as { text: string }).text));
    await b.login({ uid: 'nooff-b' });
    await a.sendMessageToPeer({ text: 'marker' }, 'nooff-b');
    await until(() => got.length >= 1, 'marker');
    assert.deepEqual(got, ['marker']);
    await Promise.all([a.logout(), b.logout()]);
  });
});

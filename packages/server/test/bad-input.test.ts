import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorName } from '@parley/protocol';
import type { RtmClient, RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  APP,
  client,
  loggedIn,
  RawSocket,
  startTopology,
  TOPOLOGIES,
  until,
  type Topology,
} from '@parley/testkit';

/** Asserts a rejection with the exact code and the web SDK's class for it. */
async function rejectsWith(
  p: Promise<unknown>,
  api: Parameters<typeof errorName>[0],
  code: number,
  field: RegExp,
): Promise<void> {
  await assert.rejects(p, (e: RtmError) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, errorName(api, code));
    assert.match(e.message, field);
    return true;
  });
}

/** On two Redis nodes the senders are on the first node and the receivers on the second. */
for (const kind of TOPOLOGIES)
  describe(`bad input from the SDK (${kind})`, () => {
    let topo: Topology;
    let server: RunningServer;
    let far: RunningServer;
    let alice: RtmClient;
    let bob: RtmClient;
    const bobGot: string[] = [];
    before(async () => {
      topo = await startTopology(kind);
      [server, far] = topo.nodes;
      alice = await loggedIn(server, 'bad-alice');
      bob = client(far);
      bob.on('MessageFromPeer', (m) => bobGot.push((m as { text?: string }).text ?? 'raw'));
      await bob.login({ uid: 'bad-bob' });
    });
    after(async () => {
      await Promise.all([alice.logout(), bob.logout()]);
      await topo.close();
    });

    /** The connection still works and bob received exactly what was sent successfully. */
    async function stillWorks(): Promise<void> {
      const before = bobGot.length;
      assert.deepEqual(await alice.sendMessageToPeer({ text: 'probe' }, 'bad-bob'), {
        hasPeerReceived: true,
      });
      await until(() => bobGot.length === before + 1, 'probe');
      assert.equal(bobGot.at(-1), 'probe');
    }

    test('uid rules: empty, "null", 65 bytes, a forbidden character', async () => {
      for (const uid of ['', 'null', 'x'.repeat(65), 'a/b', 'é']) {
        const c = client(server);
        await rejectsWith(c.login({ uid }), 'login', 3, /uid/);
        assert.equal(c.connectionState, 'DISCONNECTED');
      }
      const ok = client(server);
      await ok.login({ uid: 'x'.repeat(64) });
      await ok.logout();
    });

    test('peer id rules', async () => {
      for (const peer of ['', 'null', 'y'.repeat(65), 'tab\there']) {
        await rejectsWith(
          alice.sendMessageToPeer({ text: 'x' }, peer),
          'sendMessageToPeer',
          6,
          /peerId/,
        );
      }
      await stillWorks();
    });

    test('text over 32 KB is refused; exactly 32 KB passes', async () => {
      const before = bobGot.length;
      await rejectsWith(
        alice.sendMessageToPeer({ text: 'a'.repeat(32 * 1024 + 1) }, 'bad-bob'),
        'sendMessageToPeer',
        7,
        /32768/,
      );
      await rejectsWith(
        alice.sendMessageToPeer({ text: 'é'.repeat(16 * 1024 + 1) }, 'bad-bob'),
        'sendMessageToPeer',
        7,
        /32768/,
      );
      assert.equal(bobGot.length, before, 'nothing delivered');
      assert.deepEqual(await alice.sendMessageToPeer({ text: 'a'.repeat(32 * 1024) }, 'bad-bob'), {
        hasPeerReceived: true,
      });
      await until(() => bobGot.length === before + 1, 'the 32 KB message');
      await stillWorks();
    });

    test('raw bytes + description over 32 KB are refused', async () => {
      const raw = new Uint8Array(32 * 1024 - 3);
      await rejectsWith(
        alice.sendMessageToPeer({ rawMessage: raw, description: 'four' }, 'bad-bob'),
        'sendMessageToPeer',
        7,
        /description/,
      );
      await stillWorks();
    });

    test('more than 256 peers per query', async () => {
      const ids = Array.from({ length: 257 }, (_, k) => `q${k}`);
      await rejectsWith(alice.queryPeersOnlineStatus(ids), 'queryPeersOnlineStatus', 2, /256/);
      await rejectsWith(alice.queryPeersOnlineStatus([]), 'queryPeersOnlineStatus', 2, /empty/);
      await stillWorks();
    });

    test('more than 512 subscriptions overflow and change nothing', async () => {
      const c = await loggedIn(server, 'bad-subs');
      const first = Array.from({ length: 500 }, (_, k) => `s${k}`);
      await c.subscribePeersOnlineStatus(first);
      const more = Array.from({ length: 13 }, (_, k) => `t${k}`);
      await rejectsWith(c.subscribePeersOnlineStatus(more), 'subscribePeersOnlineStatus', 6, /512/);
      assert.equal((await c.queryPeersBySubscriptionOption('ONLINE_STATUS')).length, 500);
      await c.subscribePeersOnlineStatus(more.slice(0, 12));
      assert.equal((await c.queryPeersBySubscriptionOption('ONLINE_STATUS')).length, 512);
      await c.logout();
    });

    test('the 11th presence query or subscription call within 5 s is refused with TOO_OFTEN', async () => {
      const c = await loggedIn(server, 'bad-qrate');
      for (let k = 0; k < 10; k++) await c.queryPeersOnlineStatus(['x']);
      await rejectsWith(
        c.queryPeersOnlineStatus(['x']),
        'queryPeersOnlineStatus',
        5,
        /queryPeersOnlineStatus/,
      );
      for (let k = 0; k < 10; k++) await c.subscribePeersOnlineStatus([`p${k}`]);
      await rejectsWith(
        c.subscribePeersOnlineStatus(['p10']),
        'subscribePeersOnlineStatus',
        5,
        /subscribePeersOnlineStatus/,
      );
      assert.equal(
        (await c.queryPeersBySubscriptionOption('ONLINE_STATUS')).length,
        10,
        'the refused call subscribed nothing',
      );
      await c.logout();
    });

    test('the 181st message within 3 s is refused with TOO_OFTEN and not delivered', async () => {
      const sender = await loggedIn(server, 'bad-rate');
      const rx = client(far);
      let got = 0;
      rx.on('MessageFromPeer', () => got++);
      await rx.login({ uid: 'bad-rate-rx' });
      const results = await Promise.allSettled(
        Array.from({ length: 181 }, () => sender.sendMessageToPeer({ text: 'x' }, 'bad-rate-rx')),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 1);
      const e = (refused[0] as PromiseRejectedResult).reason as RtmError;
      assert.equal(e.code, 5);
      assert.equal(e.name, errorName('sendMessageToPeer', 5));
      await until(() => got === 180, '180 delivered');
      // Other users are not affected by one client's limit.
      await stillWorks();
      await Promise.all([sender.logout(), rx.logout()]);
    });
  });

for (const kind of TOPOLOGIES)
  describe(`malformed frames (${kind})`, () => {
    let topo: Topology;
    let server: RunningServer;
    let far: RunningServer;
    before(async () => {
      topo = await startTopology(kind);
      [server, far] = topo.nodes;
    });
    after(() => topo.close());

    const cases: [string, string | Buffer][] = [
      ['not JSON', '{nope'],
      ['an array', '[1,2]'],
      ['no type', '{"i":1}'],
      ['an unknown type', '{"t":"explode","i":1}'],
      ['a request without id', '{"t":"psend","to":"x","m":{"k":"T","x":"y"}}'],
      ['a binary frame', Buffer.from([1, 2, 3])],
    ];
    for (const [name, frame] of cases) {
      test(`${name} closes that socket with 4400 and a reason; others are unaffected`, async () => {
        const other = await loggedIn(far, `mf-other-${name.length}`);
        const raw = await RawSocket.open(server.url);
        raw.ws.send(frame);
        const closed = await raw.waitClosed();
        assert.equal(closed.code, 4400);
        assert.ok(closed.reason.length > 0);
        assert.deepEqual(await other.queryPeersOnlineStatus(['nobody']), { nobody: false });
        await other.logout();
      });
    }

    test('a frame over 128 KB closes the socket with 1009', async () => {
      const raw = await RawSocket.open(server.url);
      raw.send({ t: 'ping', pad: 'x'.repeat(130 * 1024) });
      assert.equal((await raw.waitClosed()).code, 1009);
    });

    test('a socket without the parley.v1 subprotocol is refused', async () => {
      // The server answers the upgrade without a subprotocol, which a WebSocket client must refuse;
      // and should a client ignore that, the server closes the socket itself.
      await assert.rejects(RawSocket.open(server.url, 'other'), /no subprotocol/);
    });

    test('requests before login are answered with 102', async () => {
      const raw = await RawSocket.open(server.url);
      const reply = await raw.request({ t: 'pquery', i: 7, ids: ['a'] });
      assert.deepEqual(reply.t, 'err');
      assert.equal(reply.c, 102);
      const login = await raw.request({ t: 'login', i: 8, a: APP, u: 'raw-user' });
      assert.equal(login.t, 'ok');
      raw.close();
    });
  });

/**
 * Three server processes on one real Redis, on loopback, with SDK clients spread over them:
 * every feature that crosses nodes, checked between clients on different nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { AttributeOperationError, MetadataOperationError } from '@parley/protocol';
import type { RtmClient, RtmError, RtmMetadata } from '@parley/sdk';
import {
  APP,
  client,
  eventually,
  killAllNodes,
  loggedIn,
  logOf,
  type NodeProcess,
  nodeProcesses,
  RawSocket,
  receiver,
  recordLocal,
  recordStates,
  REDIS_URL,
  sleep,
  startNode,
  uniquePrefix,
  until,
} from '@parley/testkit';

/** What is wrong with a sender's sequence numbers as received: gaps, repeats, reorderings. */
function sequenceFaults(received: number[], sent: number) {
  const seen = new Set<number>();
  const duplicated: number[] = [];
  const outOfOrder: number[] = [];
  let highest = -1;
  for (const seq of received) {
    if (seen.has(seq)) duplicated.push(seq);
    else if (seq < highest) outOfOrder.push(seq);
    seen.add(seq);
    highest = Math.max(highest, seq);
  }
  const missing = Array.from({ length: sent }, (_, k) => k).filter((k) => !seen.has(k));
  return { missing, duplicated, outOfOrder };
}
const NO_FAULTS = { missing: [], duplicated: [], outOfOrder: [] };

/** "sender:seq" texts, by sender, as sequence numbers in arrival order. */
function bySender(texts: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const text of texts) {
    const [sender, seq] = text.split(':');
    const list = out.get(sender!) ?? [];
    list.push(Number(seq));
    out.set(sender!, list);
  }
  return out;
}

function item(c: RtmClient, key: string, value: string, revision?: number) {
  const it = c.createMetadataItem();
  it.setKey(key);
  it.setValue(value);
  if (revision !== undefined) it.setRevision(revision);
  return it;
}

const plain = (m: RtmMetadata) => ({
  majorRevision: m.majorRevision,
  items: m.items
    .map((i) => ({ key: i.getKey(), value: i.getValue(), author: i.getAuthorUserId() }))
    .sort((x, y) => x.key.localeCompare(y.key)),
});

describe('three node processes on one Redis', () => {
  const prefix = uniquePrefix();
  let n1: NodeProcess;
  let n2: NodeProcess;
  let n3: NodeProcess;
  let redis: Redis;
  before(async () => {
    const config = { redisUrl: REDIS_URL, redisPrefix: prefix, sendRateCount: 1_000_000 };
    [n1, n2, n3] = await Promise.all([startNode(config), startNode(config), startNode(config)]);
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    redis?.disconnect();
    await killAllNodes();
  });

  test('peer messages from senders on three nodes reach one receiver exactly once, each sender in order', async () => {
    const SENT = 200;
    const receiverClient = await loggedIn(n2.url, 'p3-receiver');
    const got: string[] = [];
    receiverClient.on('MessageFromPeer', (m, from) => {
      const [sender, seq] = (m as { text: string }).text.split(':');
      // The text names its sender too, so a message delivered under the wrong peerId shows.
      got.push(`${from === sender ? sender : `${from}!=${sender}`}:${seq}`);
    });
    const senderNodes = { 'p3-s1': n1, 'p3-s2': n2, 'p3-s3': n3 };
    const senders = await Promise.all(
      Object.entries(senderNodes).map(async ([uid, node]) => ({
        uid,
        c: await loggedIn(node.url, uid),
      })),
    );
    const results = await Promise.all(
      senders.map(({ uid, c }) =>
        Promise.all(
          Array.from({ length: SENT }, (_, seq) =>
            c.sendMessageToPeer({ text: `${uid}:${seq}` }, 'p3-receiver'),
          ),
        ),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.filter((x) => x.hasPeerReceived).length),
      [SENT, SENT, SENT],
      'every send acknowledged as received',
    );
    await until(() => got.length >= 3 * SENT, `${3 * SENT} messages`);
    const seqs = bySender(got);
    assert.deepEqual([...seqs.keys()].sort(), ['p3-s1', 'p3-s2', 'p3-s3']);
    for (const [sender, list] of seqs)
      assert.deepEqual(sequenceFaults(list, SENT), NO_FAULTS, `messages of ${sender}`);
    assert.equal(got.length, 3 * SENT);
    await Promise.all([receiverClient, ...senders.map((s) => s.c)].map((c) => c.logout()));
  });

  test('a user who logs in on node 1, then 2, then 3: each older session ends with REMOTE_LOGIN, messages follow the newest', async () => {
    const sender = await loggedIn(n2.url, 'mv3-sender');
    const got: string[] = [];
    const states: string[][] = [];
    const sessions: RtmClient[] = [];
    for (const [k, node] of [n1, n2, n3].entries()) {
      const c = client(node.url);
      c.on('MessageFromPeer', (m) => got.push(`${k + 1}:${(m as { text: string }).text}`));
      states.push(recordStates(c));
      await c.login({ uid: 'mv3-user' });
      sessions.push(c);
      if (k > 0) await until(() => states[k - 1]!.length === 3, `the session on node ${k} aborted`);
      assert.deepEqual(await sender.sendMessageToPeer({ text: `to-${k + 1}` }, 'mv3-user'), {
        hasPeerReceived: true,
      });
      await until(() => got.length === k + 1, `message to the session on node ${k + 1}`);
    }
    assert.deepEqual(got, ['1:to-1', '2:to-2', '3:to-3']);
    const ended = ['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'ABORTED/REMOTE_LOGIN'];
    assert.deepEqual(states, [ended, ended, ended.slice(0, 2)]);
    assert.deepEqual(await sender.queryPeersOnlineStatus(['mv3-user']), { 'mv3-user': true });
    await sessions[2]!.logout();
    assert.deepEqual(await sender.queryPeersOnlineStatus(['mv3-user']), { 'mv3-user': false });
    await sender.logout();
  });

  test('offline messages sent from nodes 1 and 2 while the receiver was away reach it on node 3, in order, once', async () => {
    const SENT = 30;
    const s1 = await loggedIn(n1.url, 'off3-s1');
    const s2 = await loggedIn(n2.url, 'off3-s2');
    for (let seq = 0; seq < SENT; seq++) {
      for (const [s, name] of [
        [s1, 'off3-s1'],
        [s2, 'off3-s2'],
      ] as const) {
        const r = await s.sendMessageToPeer({ text: `${name}:${seq}` }, 'off3-receiver', {
          enableOfflineMessaging: true,
        });
        assert.equal(r.hasPeerReceived, false);
      }
    }
    const back = client(n3.url);
    const got: string[] = [];
    let flagged = 0;
    back.on('MessageFromPeer', (m, from, props) => {
      got.push(`${from}:${(m as { text: string }).text.split(':')[1]}`);
      if (props.isOfflineMessage) flagged++;
    });
    await back.login({ uid: 'off3-receiver' });
    await until(() => got.length >= 2 * SENT, `${2 * SENT} offline messages`);
    // Stored in send order across both senders: the interleaving itself is kept.
    assert.deepEqual(
      got,
      Array.from({ length: SENT }, (_, seq) => [`off3-s1:${seq}`, `off3-s2:${seq}`]).flat(),
    );
    assert.equal(flagged, 2 * SENT);
    // Delivered once: a later login finds nothing left.
    await back.logout();
    const again = client(n2.url);
    const more: string[] = [];
    again.on('MessageFromPeer', (m) => more.push((m as { text: string }).text));
    await again.login({ uid: 'off3-receiver' });
    assert.deepEqual(await s1.sendMessageToPeer({ text: 'off3-s1:live' }, 'off3-receiver'), {
      hasPeerReceived: true,
    });
    await until(() => more.length >= 1, 'the live message');
    assert.deepEqual(more, ['off3-s1:live']);
    await Promise.all([s1.logout(), s2.logout(), again.logout()]);
  });

  test('channel messages from publishers on two nodes reach members on all three once each, in each publisher order', async () => {
    const SENT = 150;
    const uids = ['c3-pub1', 'c3-pub2', 'c3-m1', 'c3-m2', 'c3-m3'];
    const nodes = [n1, n2, n1, n2, n3];
    const clients = await Promise.all(uids.map((u, k) => loggedIn(nodes[k]!.url, u)));
    const got = new Map<string, string[]>(uids.map((u) => [u, []]));
    const channels = clients.map((c, k) => {
      const ch = c.createChannel('c3-room');
      ch.on('ChannelMessage', (m, from) => {
        const [sender, seq] = (m as { text: string }).text.split(':');
        got.get(uids[k]!)!.push(`${from === sender ? sender : `${from}!=${sender}`}:${seq}`);
      });
      return ch;
    });
    for (const ch of channels) await ch.join();
    await Promise.all(
      [channels[0]!, channels[1]!].map((ch, k) =>
        Promise.all(
          Array.from({ length: SENT }, (_, seq) =>
            ch.sendMessage({ text: `c3-pub${k + 1}:${seq}` }),
          ),
        ),
      ),
    );
    const expected: Record<string, string[]> = {
      'c3-pub1': ['c3-pub2'],
      'c3-pub2': ['c3-pub1'],
      'c3-m1': ['c3-pub1', 'c3-pub2'],
      'c3-m2': ['c3-pub1', 'c3-pub2'],
      'c3-m3': ['c3-pub1', 'c3-pub2'],
    };
    for (const uid of uids) {
      const want = expected[uid]!.length * SENT;
      await until(() => got.get(uid)!.length >= want, `${want} channel messages at ${uid}`);
    }
    for (const uid of uids) {
      const seqs = bySender(got.get(uid)!);
      assert.deepEqual([...seqs.keys()].sort(), expected[uid], `publishers heard by ${uid}`);
      for (const [sender, list] of seqs)
        assert.deepEqual(sequenceFaults(list, SENT), NO_FAULTS, `${sender}'s messages at ${uid}`);
      assert.equal(got.get(uid)!.length, expected[uid]!.length * SENT, `count at ${uid}`);
    }
    await Promise.all(clients.map((c) => c.logout()));
  });

  test('presence: a watcher on node 1 sees users of nodes 2 and 3 come ONLINE and go OFFLINE, and queries agree', async () => {
    const watcher = await loggedIn(n1.url, 'pr3-watcher');
    const seen = new Map<string, string[]>([
      ['pr3-b', []],
      ['pr3-c', []],
    ]);
    watcher.on('PeersOnlineStatusChanged', (st) => {
      for (const [uid, state] of Object.entries(st)) seen.get(uid)?.push(state);
    });
    await watcher.subscribePeersOnlineStatus(['pr3-b', 'pr3-c']);
    await until(
      () => seen.get('pr3-b')!.length === 1 && seen.get('pr3-c')!.length === 1,
      'snapshot',
    );
    const b = await loggedIn(n2.url, 'pr3-b');
    const c = await loggedIn(n3.url, 'pr3-c');
    await until(
      () => seen.get('pr3-b')!.length === 2 && seen.get('pr3-c')!.length === 2,
      'ONLINE of both',
    );
    assert.deepEqual(await watcher.queryPeersOnlineStatus(['pr3-b', 'pr3-c', 'pr3-nobody']), {
      'pr3-b': true,
      'pr3-c': true,
      'pr3-nobody': false,
    });
    assert.deepEqual((await watcher.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort(), [
      'pr3-b',
      'pr3-c',
    ]);
    await b.logout();
    await until(() => seen.get('pr3-b')!.length === 3, 'OFFLINE of pr3-b');
    // A query from a third node agrees with the watcher's node.
    assert.deepEqual(await c.queryPeersOnlineStatus(['pr3-b', 'pr3-c']), {
      'pr3-b': false,
      'pr3-c': true,
    });
    await c.logout();
    await until(() => seen.get('pr3-c')!.length === 3, 'OFFLINE of pr3-c');
    assert.deepEqual(Object.fromEntries(seen), {
      'pr3-b': ['OFFLINE', 'ONLINE', 'OFFLINE'],
      'pr3-c': ['OFFLINE', 'ONLINE', 'OFFLINE'],
    });
    assert.deepEqual(await watcher.queryPeersOnlineStatus(['pr3-b', 'pr3-c']), {
      'pr3-b': false,
      'pr3-c': false,
    });
    await watcher.logout();
  });

  test('user attributes and user metadata written on node 3 are read and watched from nodes 1 and 2', async () => {
    const owner = await loggedIn(n3.url, 'ua3-owner');
    const r1 = await loggedIn(n1.url, 'ua3-r1');
    const r2 = await loggedIn(n2.url, 'ua3-r2');

    await owner.setLocalUserAttributes({ role: 'host', mic: 'on' });
    assert.deepEqual(await r1.getUserAttributes('ua3-owner'), { role: 'host', mic: 'on' });
    assert.deepEqual(await r2.getUserAttributesByKeys('ua3-owner', ['mic']), { mic: 'on' });
    await owner.addOrUpdateLocalUserAttributes({ mic: 'off', cam: 'on' });
    await owner.deleteLocalUserAttributesByKeys(['role']);
    assert.deepEqual(await r2.getUserAttributes('ua3-owner'), { mic: 'off', cam: 'on' });

    const updates: { uid: string; data: ReturnType<typeof plain> }[] = [];
    r1.on('UserMetaDataUpdated', (uid, data) => updates.push({ uid, data: plain(data) }));
    await r1.subscribeUserMetadata('ua3-owner');
    await owner.setLocalUserMetadata([item(owner, 'status', 'busy')], {
      enableRecordUserId: true,
    });
    await until(() => updates.length === 1, 'UserMetaDataUpdated on node 1');
    const read = await r2.getUserMetadata('ua3-owner');
    assert.deepEqual(plain(read), updates[0]!.data);
    assert.deepEqual(updates[0], {
      uid: 'ua3-owner',
      data: {
        majorRevision: read.majorRevision,
        items: [{ key: 'status', value: 'busy', author: 'ua3-owner' }],
      },
    });
    // A revision read on node 2 is the one node 3 checks.
    const rev = read.items[0]!.getRevision();
    await owner.updateLocalUserMetadata([item(owner, 'status', 'free', rev)]);
    await assert.rejects(
      owner.updateLocalUserMetadata([item(owner, 'status', 'stale', rev)]),
      (e: RtmError) => e.code === MetadataOperationError.OUTDATE_REVISION,
    );
    await until(() => updates.length === 2, 'second UserMetaDataUpdated');
    assert.deepEqual(
      updates[1]!.data.items.map((i) => i.value),
      ['free'],
    );
    assert.deepEqual(
      (await r2.getUserMetadata('ua3-owner')).items.map((i) => i.getValue()),
      ['free'],
    );

    // The user's attributes and metadata end with its session, seen from the other nodes.
    await owner.logout();
    await assert.rejects(
      r1.getUserAttributes('ua3-owner'),
      (e: RtmError) => e.code === AttributeOperationError.USER_NOT_FOUND,
    );
    await until(() => updates.length === 3, 'the empty UserMetaDataUpdated at logout');
    assert.deepEqual(
      updates.map((u) => u.data.items.map((i) => i.value)),
      [['busy'], ['free'], []],
    );
    await Promise.all([r1.logout(), r2.logout()]);
  });

  test('channel attributes and channel metadata written on one node reach members on the other two', async () => {
    const a = await loggedIn(n1.url, 'ca3-a');
    const b = await loggedIn(n2.url, 'ca3-b');
    const c = await loggedIn(n3.url, 'ca3-c');
    const [ca, cb, cc] = [a, b, c].map((x) => x.createChannel('ca3-room'));
    const attrsSeen: { who: string; attrs: unknown }[] = [];
    const metaSeen: { who: string; meta: ReturnType<typeof plain> }[] = [];
    for (const [who, ch] of [
      ['a', ca],
      ['c', cc],
    ] as const) {
      ch!.on('AttributesUpdated', (attrs) => attrsSeen.push({ who, attrs }));
      ch!.on('ChannelMetaDataUpdated', (d) => metaSeen.push({ who, meta: plain(d) }));
    }
    for (const ch of [ca, cb, cc]) await ch!.join();

    await b.setChannelAttributes(
      'ca3-room',
      { topic: 'launch', lang: 'en' },
      { enableNotificationToChannelMembers: true },
    );
    await until(() => attrsSeen.length === 2, 'AttributesUpdated on nodes 1 and 3');
    const stored = await c.getChannelAttributes('ca3-room');
    assert.deepEqual(Object.keys(stored).sort(), ['lang', 'topic']);
    assert.equal(stored.topic!.value, 'launch');
    assert.equal(stored.topic!.lastUpdateUserId, 'ca3-b');
    assert.ok(stored.topic!.lastUpdateTs > 0);
    // Both members saw exactly what is stored, timestamps included.
    assert.deepEqual(
      attrsSeen.sort((x, y) => x.who.localeCompare(y.who)),
      [
        { who: 'a', attrs: stored },
        { who: 'c', attrs: stored },
      ],
    );
    await c.deleteChannelAttributesByKeys('ca3-room', ['lang']);
    assert.deepEqual(Object.keys(await a.getChannelAttributes('ca3-room')), ['topic']);

    await cc!.setChannelMetadata([item(c, 'pin', 'msg-1'), item(c, 'mode', 'quiet')], {
      enableRecordUserId: true,
    });
    await until(() => metaSeen.length === 2, 'ChannelMetaDataUpdated on nodes 1 and 3');
    const meta = await ca!.getChannelMetadata();
    const expected = {
      majorRevision: meta.majorRevision,
      items: [
        { key: 'mode', value: 'quiet', author: 'ca3-c' },
        { key: 'pin', value: 'msg-1', author: 'ca3-c' },
      ],
    };
    assert.deepEqual(plain(meta), expected);
    assert.deepEqual(
      metaSeen.sort((x, y) => x.who.localeCompare(y.who)),
      [
        { who: 'a', meta: expected },
        { who: 'c', meta: expected },
      ],
    );
    // Compare-and-set across nodes: a revision read on node 1 is current on node 2, once.
    const pinRev = meta.items.find((i) => i.getKey() === 'pin')!.getRevision();
    await cb!.updateChannelMetadata([item(b, 'pin', 'msg-2', pinRev)]);
    await assert.rejects(
      ca!.updateChannelMetadata([item(a, 'pin', 'msg-3', pinRev)]),
      (e: RtmError) => e.code === MetadataOperationError.OUTDATE_REVISION,
    );
    const pin = (await cc!.getChannelMetadata()).items.find((i) => i.getKey() === 'pin')!;
    assert.deepEqual([pin.getValue(), pin.getAuthorUserId()], ['msg-2', '']);
    await Promise.all([a, b, c].map((x) => x.logout()));
  });

  test('member counts, member lists and member events agree on every node as members join and leave', async () => {
    const uids = ['mm3-x1', 'mm3-y1', 'mm3-x2', 'mm3-y2', 'mm3-x3', 'mm3-y3'];
    const nodes = [n1, n1, n2, n2, n3, n3];
    const clients = await Promise.all(uids.map((u, k) => loggedIn(nodes[k]!.url, u)));
    const channels = clients.map((c) => c.createChannel('mm3-room'));
    const joinedSeenBy1: string[] = [];
    const leftSeen: string[] = [];
    const countsSeenBy3: number[] = [];
    channels[0]!.on('MemberJoined', (u) => joinedSeenBy1.push(u));
    channels[0]!.on('MemberLeft', (u) => leftSeen.push(`x1:${u}`));
    channels[4]!.on('MemberLeft', (u) => leftSeen.push(`x3:${u}`));
    channels[4]!.on('MemberCountUpdated', (n) => countsSeenBy3.push(n));
    for (const ch of channels) await ch.join();

    await until(() => joinedSeenBy1.length === 5, 'MemberJoined of the five others on node 1');
    assert.deepEqual(joinedSeenBy1.sort(), uids.filter((u) => u !== 'mm3-x1').sort());
    const outsider = await loggedIn(n2.url, 'mm3-outsider');
    // One member-count query per client and second (RTM's limit): one client per node.
    const [x1, , x2, , x3] = clients;
    for (const c of [x1!, x2!, x3!, outsider])
      assert.deepEqual(await c.getChannelMemberCount(['mm3-room', 'mm3-empty']), {
        'mm3-room': 6,
        'mm3-empty': 0,
      });
    // Member lists are the latest joiners first, whichever node each joined on.
    for (const k of [1, 3, 5])
      assert.deepEqual(await channels[k]!.getMembers(), [...uids].reverse());
    await until(() => countsSeenBy3.at(-1) === 6, 'MemberCountUpdated(6) on node 3');

    // Node 2's members leave.
    await channels[2]!.leave();
    await clients[3]!.logout();
    await until(() => leftSeen.length === 4, 'MemberLeft on nodes 1 and 3');
    assert.deepEqual(leftSeen.sort(), ['x1:mm3-x2', 'x1:mm3-y2', 'x3:mm3-x2', 'x3:mm3-y2']);
    const remaining = ['mm3-y3', 'mm3-x3', 'mm3-y1', 'mm3-x1'];
    for (const k of [1, 5]) assert.deepEqual(await channels[k]!.getMembers(), remaining);
    for (const c of [clients[1]!, clients[5]!])
      assert.deepEqual(await c.getChannelMemberCount(['mm3-room']), { 'mm3-room': 4 });
    await until(() => countsSeenBy3.at(-1) === 4, 'MemberCountUpdated(4) on node 3');
    await Promise.all([...clients.filter((_, k) => k !== 3), outsider].map((c) => c.logout()));
  });

  describe('call invitations from a caller on node 1 to a callee on node 3', () => {
    let caller: RtmClient;
    let callee: RtmClient;
    before(async () => {
      [caller, callee] = await Promise.all([
        loggedIn(n1.url, 'iv3-caller'),
        loggedIn(n3.url, 'iv3-callee'),
      ]);
    });
    after(async () => {
      await Promise.all([caller.logout(), callee.logout()]);
    });

    /** Fresh listeners per test (the clients are shared); ends with nothing left in Redis. */
    function setup() {
      callee.removeAllListeners('RemoteInvitationReceived');
      const log: string[] = [];
      return { log, got: receiver(callee, log) };
    }
    async function nothingLeftInRedis(): Promise<void> {
      const keys = async () => (await redis.keys(`${prefix}inv*`)).sort();
      // The last write may land just after the last event.
      await eventually(async () => (await keys()).length === 0, 'no invitation kept in Redis');
    }

    test('accepted: received on node 3 with its content, the response reaches node 1', async () => {
      const { log, got } = setup();
      const call = caller.createLocalInvitation('iv3-callee');
      call.content = 'ring';
      call.channelId = 'iv3-call-1';
      recordLocal(call, log);
      call.send();
      await logOf(log, 2);
      assert.deepEqual(
        [got[0]!.callerId, got[0]!.channelId, got[0]!.content],
        ['iv3-caller', 'iv3-call-1', 'ring'],
      );
      got[0]!.response = 'coming';
      got[0]!.accept();
      await logOf(log, 4);
      assert.deepEqual(log, [
        'callee Received(ring) INVITATION_RECEIVED',
        'caller ReceivedByPeer RECEIVED_BY_REMOTE',
        'caller Accepted(coming) ACCEPTED_BY_REMOTE',
        'callee Accepted ACCEPTED',
      ]);
      await nothingLeftInRedis();
    });

    test('refused: the caller on node 1 hears Refused with the response', async () => {
      const { log, got } = setup();
      const call = caller.createLocalInvitation('iv3-callee');
      recordLocal(call, log);
      call.send();
      await logOf(log, 2);
      got[0]!.response = 'busy';
      got[0]!.refuse();
      await logOf(log, 4);
      assert.deepEqual(log, [
        'callee Received() INVITATION_RECEIVED',
        'caller ReceivedByPeer RECEIVED_BY_REMOTE',
        'callee Refused REFUSED',
        'caller Refused(busy) REFUSED_BY_REMOTE',
      ]);
      await nothingLeftInRedis();
    });

    test('canceled: the callee on node 3 hears Canceled with the new content', async () => {
      const { log, got } = setup();
      const call = caller.createLocalInvitation('iv3-callee');
      call.content = 'first';
      recordLocal(call, log);
      call.send();
      await logOf(log, 2);
      call.content = 'never mind';
      call.cancel();
      await logOf(log, 4);
      assert.deepEqual(log, [
        'callee Received(first) INVITATION_RECEIVED',
        'caller ReceivedByPeer RECEIVED_BY_REMOTE',
        'caller Canceled CANCELED',
        'callee Canceled(never mind) CANCELED',
      ]);
      assert.equal(got[0]!.content, 'never mind');
      await nothingLeftInRedis();
    });
  });
});

test('kill -9 one of three nodes: its SDK client fails over, the other two never stop talking, its users go offline once for both', async (t) => {
  const [k1, k2, k3] = await nodeProcesses(t, 3, {
    redisUrl: REDIS_URL,
    redisPrefix: uniquePrefix(),
    sendRateCount: 1_000_000,
    heartbeatMs: 200,
    resumeWindowMs: 1500,
    unreachableAfterMs: 600,
  });
  const w1 = await loggedIn(k1!.url, 'kd-w1', { requestTimeoutMs: 3000 });
  const w3 = await loggedIn(k3!.url, 'kd-w3', { requestTimeoutMs: 3000 });
  const presence = { w1: [] as string[], w3: [] as string[] };
  const members = { w1: [] as string[], w3: [] as string[] };
  const w1Got: number[] = [];
  w1.on('MessageFromPeer', (m) => w1Got.push(Number((m as { text: string }).text)));
  for (const [name, w] of [
    ['w1', w1],
    ['w3', w3],
  ] as const) {
    w.on('PeersOnlineStatusChanged', (st) =>
      presence[name].push(...Object.entries(st).map(([u, s]) => `${u}:${s}`)),
    );
    await w.subscribePeersOnlineStatus(['kd-gone', 'kd-mover']);
    const room = w.createChannel('kd-room');
    room.on('MemberJoined', (u) => members[name].push(`joined:${u}`));
    room.on('MemberLeft', (u) => members[name].push(`left:${u}`));
    await room.join();
  }

  const withEvents = (e: Error) => {
    throw new Error(`${e.message}; seen: ${JSON.stringify({ presence, members })}`);
  };

  // A raw client never reconnects: its user must go offline when its node dies. It pings as
  // the SDK does, so that it is not UNREACHABLE before then.
  const gone = await RawSocket.open(k2!.url);
  const pinger = setInterval(() => gone.closed || gone.send({ t: 'ping' }), 100);
  t.after(() => clearInterval(pinger));
  assert.equal((await gone.request({ t: 'login', i: 1, a: APP, u: 'kd-gone' })).t, 'ok');
  assert.equal((await gone.request({ t: 'join', i: 2, c: 'kd-room' })).t, 'ok');
  // An SDK client with nodes 2 and 3 in serverUrl lands on node 2, then fails over to node 3.
  const mover = client([k2!.url, k3!.url]);
  const moverGot: number[] = [];
  mover.on('MessageFromPeer', (m) => moverGot.push(Number((m as { text: string }).text)));
  await mover.login({ uid: 'kd-mover' });
  const moverStates = recordStates(mover);
  await until(
    () =>
      [presence.w1, presence.w3].every(
        (p) => p.includes('kd-gone:ONLINE') && p.includes('kd-mover:ONLINE'),
      ) && [members.w1, members.w3].every((m) => m.includes('joined:kd-gone')),
    'kd-gone and kd-mover online, kd-gone in the room, for both watchers',
  );

  // Two streams while node 2 dies: node 1 → the mover (through the failover), node 3 → node 1.
  const toMover: number[] = [];
  const steady: boolean[] = [];
  let sending = true;
  // Paced (not a wait for anything): the streams run for seconds beside three node processes,
  // and unpaced they would take the CPU those nodes' heartbeats need.
  const streams = Promise.all([
    (async () => {
      for (let seq = 0; sending; seq++) {
        const r = await w1
          .sendMessageToPeer({ text: String(seq) }, 'kd-mover')
          .catch(() => ({ hasPeerReceived: false }));
        if (r.hasPeerReceived) toMover.push(seq);
        await sleep(5);
      }
    })(),
    (async () => {
      for (let seq = 0; sending; seq++) {
        const r = await w3
          .sendMessageToPeer({ text: String(seq) }, 'kd-w1')
          .catch(() => ({ hasPeerReceived: false }));
        steady.push(r.hasPeerReceived);
        await sleep(5);
      }
    })(),
  ]);
  await until(() => toMover.length >= 20, 'traffic before the kill');
  await k2!.kill();
  await until(
    () => moverStates.includes('CONNECTED/LOGIN_SUCCESS'),
    'the mover reconnects to node 3',
    15_000,
  );
  const atFailover = toMover.length;
  await until(() => toMover.length >= atFailover + 20, 'traffic after the failover');
  // Node 2's users go offline once node 2 has been silent for the resume window.
  // (The first OFFLINE each watcher saw is the snapshot at subscribe time.)
  const goneEvents = (p: string[]) => p.filter((e) => e.startsWith('kd-gone:'));
  await until(
    () => [presence.w1, presence.w3].every((p) => goneEvents(p).length >= 3),
    'kd-gone offline for both watchers',
    15_000,
  ).catch(withEvents);
  sending = false;
  await streams;

  assert.deepEqual(moverStates, ['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
  await until(() => moverGot.length >= toMover.length, 'acknowledged messages at the mover');
  // Unacknowledged messages may be lost with the node (at most once); none comes twice or late.
  const { duplicated, outOfOrder } = sequenceFaults(moverGot, 0);
  assert.deepEqual({ duplicated, outOfOrder }, { duplicated: [], outOfOrder: [] });
  assert.deepEqual(
    toMover.filter((seq) => !moverGot.includes(seq)),
    [],
    'every acknowledged message reached the mover',
  );
  assert.ok(steady.length >= 20, `node 3 → node 1 kept going (${steady.length} messages)`);
  assert.deepEqual(
    steady.flatMap((ok, seq) => (ok ? [] : [seq])),
    [],
    'no message between the surviving nodes failed',
  );
  await until(() => w1Got.length === steady.length, 'node 3 → node 1 messages');
  assert.deepEqual(sequenceFaults(w1Got, steady.length), NO_FAULTS);

  // Once, not once per surviving node: kd-gone logs in and joins again as a marker, so any
  // late second OFFLINE or MemberLeft would show before it.
  const back = await loggedIn(k1!.url, 'kd-gone');
  await back.createChannel('kd-room').join();
  await until(
    () =>
      [presence.w1, presence.w3].every((p) => goneEvents(p).at(-1) === 'kd-gone:ONLINE') &&
      [members.w1, members.w3].every((m) => m.at(-1) === 'joined:kd-gone'),
    'kd-gone back',
  ).catch(withEvents);
  const gonePresence = ['kd-gone:OFFLINE', 'kd-gone:ONLINE', 'kd-gone:OFFLINE', 'kd-gone:ONLINE'];
  for (const p of [presence.w1, presence.w3]) {
    assert.deepEqual(goneEvents(p), gonePresence);
    assert.deepEqual(
      p.filter((e) => e.startsWith('kd-mover:')),
      ['kd-mover:OFFLINE', 'kd-mover:ONLINE'],
      'the mover: offline when subscribed, then online, and never offline or unreachable again',
    );
  }
  assert.deepEqual(members, {
    w1: ['joined:kd-w3', 'joined:kd-gone', 'left:kd-gone', 'joined:kd-gone'],
    w3: ['joined:kd-gone', 'left:kd-gone', 'joined:kd-gone'],
  });
  assert.deepEqual(await w3.queryPeersOnlineStatus(['kd-gone', 'kd-mover']), {
    'kd-gone': true,
    'kd-mover': true,
  });
  assert.deepEqual(await w1.getChannelMemberCount(['kd-room']), { 'kd-room': 3 });
  gone.close();
  await Promise.all([w1, w3, mover, back].map((c) => c.logout()));
});

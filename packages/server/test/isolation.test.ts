/**
 * Apps are isolated: the same uids and channel names in two apps share nothing — peer
 * messages, presence, subscriptions, channel members, counts and messages, user and channel
 * attributes, user metadata. On two Redis nodes, each app's users are spread over both nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmChannel, RtmClient, RtmMessage } from '@parley/sdk';
import {
  channelMarker,
  client,
  isMarker,
  peerMarker,
  startTopology,
  TOPOLOGIES,
  until,
  type Topology,
} from '@parley/testkit';

const APPS = ['iso_app_one', 'iso_app_two'] as const;

/** One app's two users (same uids in both apps) and what they received. */
interface Side {
  alice: RtmClient;
  bob: RtmClient;
  bobGot: string[];
  room: [RtmChannel, RtmChannel];
  roomGot: string[];
}

for (const kind of TOPOLOGIES)
  describe(`apps are isolated (${kind})`, () => {
    let topo: Topology;
    const sides: Side[] = [];
    before(async () => {
      topo = await startTopology(kind);
      const [near, far] = topo.nodes;
      for (const app of APPS) {
        const alice = client(near, {}, app);
        const bob = client(far, {}, app);
        await Promise.all([alice.login({ uid: 'iso-alice' }), bob.login({ uid: 'iso-bob' })]);
        const side: Side = {
          alice,
          bob,
          bobGot: [],
          room: [alice.createChannel('iso-room'), bob.createChannel('iso-room')],
          roomGot: [],
        };
        bob.on('MessageFromPeer', (m: RtmMessage) => {
          if (!isMarker(m)) side.bobGot.push(m.text!);
        });
        side.room[1].on('ChannelMessage', (m: RtmMessage) => {
          if (!isMarker(m)) side.roomGot.push(m.text!);
        });
        await Promise.all(side.room.map((ch) => ch.join()));
        sides.push(side);
      }
    });
    after(async () => {
      for (const s of sides) await Promise.all([s.alice.logout(), s.bob.logout()]);
      await topo.close();
    });

    test('a peer message reaches the uid of its own app only', async () => {
      const [one, two] = sides as [Side, Side];
      await one.alice.sendMessageToPeer({ text: 'for one' }, 'iso-bob');
      await peerMarker(two.alice, two.bob, 'iso-bob');
      await peerMarker(one.alice, one.bob, 'iso-bob');
      assert.deepEqual(one.bobGot, ['for one']);
      assert.deepEqual(two.bobGot, []);
    });

    test('channel messages, members and counts stay in their app', async () => {
      const [one, two] = sides as [Side, Side];
      await one.room[0].sendMessage({ text: 'room of one' });
      await channelMarker(two.room[0], two.room[1]);
      await channelMarker(one.room[0], one.room[1]);
      assert.deepEqual(one.roomGot, ['room of one']);
      assert.deepEqual(two.roomGot, []);
      const extra = client(topo.nodes[1], {}, APPS[0]);
      await extra.login({ uid: 'iso-carol' });
      const ch = extra.createChannel('iso-room');
      await ch.join();
      assert.deepEqual((await one.room[0].getMembers()).sort(), [
        'iso-alice',
        'iso-bob',
        'iso-carol',
      ]);
      assert.deepEqual((await two.room[0].getMembers()).sort(), ['iso-alice', 'iso-bob']);
      assert.deepEqual(await two.alice.getChannelMemberCount(['iso-room']), { 'iso-room': 2 });
      assert.deepEqual(await one.alice.getChannelMemberCount(['iso-room']), { 'iso-room': 3 });
      await ch.leave();
      await extra.logout();
    });

    test('presence and subscriptions see their own app only', async () => {
      const [one, two] = sides as [Side, Side];
      const events: string[] = [];
      two.alice.on('PeersOnlineStatusChanged', (s) => events.push(JSON.stringify(s)));
      await two.alice.subscribePeersOnlineStatus(['iso-dave']);
      const dave = client(topo.nodes[1], {}, APPS[0]);
      await dave.login({ uid: 'iso-dave' });
      assert.deepEqual(await one.alice.queryPeersOnlineStatus(['iso-dave']), { 'iso-dave': true });
      assert.deepEqual(await two.alice.queryPeersOnlineStatus(['iso-dave']), {
        'iso-dave': false,
      });
      await dave.logout();
      const own = client(topo.nodes[1], {}, APPS[1]);
      await own.login({ uid: 'iso-dave' });
      await until(() => events.length >= 2, 'the own app presence event');
      // The subscription's first state, then the own app's login; app one's came to nothing.
      assert.deepEqual(events, [
        JSON.stringify({ 'iso-dave': 'OFFLINE' }),
        JSON.stringify({ 'iso-dave': 'ONLINE' }),
      ]);
      await own.logout();
      await two.alice.unsubscribePeersOnlineStatus(['iso-dave']);
    });

    test('user and channel attributes and user metadata are per app', async () => {
      const [one, two] = sides as [Side, Side];
      await one.bob.setLocalUserAttributes({ mood: 'one' });
      await one.alice.setChannelAttributes('iso-room', { topic: 'one' });
      const item = one.bob.createMetadataItem();
      item.setKey('colour');
      item.setValue('one');
      await one.bob.setLocalUserMetadata([item]);
      assert.deepEqual(await two.alice.getUserAttributes('iso-bob'), {});
      assert.deepEqual(await two.alice.getChannelAttributes('iso-room'), {});
      assert.deepEqual((await two.alice.getUserMetadata('iso-bob')).items, []);
      assert.deepEqual(await one.alice.getUserAttributes('iso-bob'), { mood: 'one' });
      const topic = (await one.bob.getChannelAttributes('iso-room')).topic;
      assert.equal(topic?.value, 'one');
      const meta = (await one.alice.getUserMetadata('iso-bob')).items.map((i) => i.getValue());
      assert.deepEqual(meta, ['one']);
    });
  });

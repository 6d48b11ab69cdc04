import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmChannel, RtmClient, RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { channelMarker, isMarker, loggedIn, testServer, until } from '@parley/testkit';

/** Records a channel's member events as "Joined:uid" / "Left:uid". */
function memberEvents(ch: ReturnType<RtmClient['createChannel']>): string[] {
  const seen: string[] = [];
  ch.on('MemberJoined', (u) => seen.push(`Joined:${u}`));
  ch.on('MemberLeft', (u) => seen.push(`Left:${u}`));
  return seen;
}

describe('channels', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer({ sendRateCount: 1_000_000 });
  });
  after(() => server.close());

  test('join and leave: others see MemberJoined then MemberLeft, never their own', async () => {
    const a = await loggedIn(server, 'ch-a');
    const b = await loggedIn(server, 'ch-b');
    const ca = a.createChannel('room-1');
    const seenA = memberEvents(ca);
    await ca.join();
    const cb = b.createChannel('room-1');
    const seenB = memberEvents(cb);
    await cb.join();
    await until(() => seenA.length === 1, 'MemberJoined');
    assert.deepEqual((await ca.getMembers()).sort(), ['ch-a', 'ch-b']);
    await cb.leave();
    await until(() => seenA.length === 2, 'MemberLeft');
    assert.deepEqual(seenA, ['Joined:ch-b', 'Left:ch-b']);
    assert.deepEqual(seenB, []);
    await b.logout();
    await a.logout();
  });

  test('a member that logs out leaves: others see MemberLeft', async () => {
    const a = await loggedIn(server, 'cl-a');
    const b = await loggedIn(server, 'cl-b');
    const ca = a.createChannel('room-logout');
    const seen = memberEvents(ca);
    await ca.join();
    await b.createChannel('room-logout').join();
    await b.logout();
    await until(() => seen.length === 2, 'MemberLeft after logout');
    assert.deepEqual(seen, ['Joined:cl-b', 'Left:cl-b']);
    assert.deepEqual(await ca.getMembers(), ['cl-a']);
    await a.logout();
  });

  test('a channel message reaches every other member once, in order, and never its sender', async () => {
    const sender = await loggedIn(server, 'cm-s');
    const others = await Promise.all([1, 2, 3].map((k) => loggedIn(server, `cm-${k}`)));
    const got = new Map<string, string[]>();
    const senderGot: string[] = [];
    const sch = sender.createChannel('room-msg');
    sch.on('ChannelMessage', (m) => senderGot.push((m as { text: string }).text));
    await sch.join();
    const otherChannels: RtmChannel[] = [];
    for (const [k, o] of others.entries()) {
      const ch = o.createChannel('room-msg');
      otherChannels.push(ch);
      const list: string[] = [];
      got.set(`cm-${k + 1}`, list);
      ch.on('ChannelMessage', (m, from, props) => {
        if (isMarker(m)) return;
        assert.equal(from, 'cm-s');
        assert.ok(props.serverReceivedTs > 0);
        list.push((m as { text: string }).text);
      });
      await ch.join();
    }
    const sent = Array.from({ length: 50 }, (_, n) => `m${n}`);
    for (const t of sent) await sch.sendMessage({ text: t });
    await until(() => [...got.values()].every((l) => l.length === 50), 'every message');
    for (const list of got.values()) assert.deepEqual(list, sent);
    // A later message of another member: once the sender has it, it would have had its own.
    await channelMarker(otherChannels[0]!, sch);
    assert.deepEqual(
      senderGot.filter((t) => !t.startsWith('marker-')),
      [],
    );
    await Promise.all([sender.logout(), ...others.map((o) => o.logout())]);
  });

  test('the 21st join is refused with JOIN_CHANNEL_ERR_EXCEED_LIMIT; joining twice with ALREADY_JOINED', async () => {
    const c = await loggedIn(server, 'cj-limit');
    for (let k = 0; k < 20; k++) await c.createChannel(`lim-${k}`).join();
    await assert.rejects(
      c.createChannel('lim-20').join(),
      (e: RtmError) => e.code === 5 && e.name === 'RtmLimitExceededError',
    );
    const again = c.createChannel('lim-0');
    await assert.rejects(again.join(), (e: RtmError) => e.code === 202 || e.code === 6);
    assert.deepEqual(await c.getChannelMemberCount(['lim-20', 'lim-0']), {
      'lim-20': 0,
      'lim-0': 1,
    });
    await c.logout();
  });

  test('sending to a channel not joined is refused with the not-in-channel code', async () => {
    const c = await loggedIn(server, 'cn-a');
    const ch = c.createChannel('never-joined');
    await assert.rejects(ch.sendMessage({ text: 'x' }), (e: RtmError) => e.code === 5);
    await assert.rejects(ch.getMembers(), (e: RtmError) => e.code === 5);
    await assert.rejects(ch.leave(), (e: RtmError) => e.code === 3);
    await c.logout();
  });

  test('join rates: the same channel a 3rd time within 5 s, and getMembers a 6th time within 2 s, are refused', async () => {
    const c = await loggedIn(server, 'cr-rate');
    const ch = c.createChannel('rate-room');
    await ch.join();
    await ch.leave();
    await ch.join();
    await ch.leave();
    await assert.rejects(
      ch.join(),
      (e: RtmError) => e.code === 8 && /2 times per 5 s/.test(e.message),
    );
    assert.deepEqual(
      await c.getChannelMemberCount(['rate-room']),
      { 'rate-room': 0 },
      'the refused join changed nothing',
    );
    const other = c.createChannel('rate-room-2');
    await other.join();
    for (let k = 0; k < 5; k++) await other.getMembers();
    await assert.rejects(other.getMembers(), (e: RtmError) => e.code === 4);
    await c.logout();
  });

  test('joins past 50 within 3 s are refused with TOO_OFTEN', async () => {
    const c = await loggedIn(server, 'cr-many');
    let refused: RtmError | undefined;
    for (let k = 0; k < 26 && !refused; k++) {
      const ch = c.createChannel(`many-${k}`);
      try {
        await ch.join();
        await ch.leave();
      } catch (e) {
        refused = e as RtmError;
      }
    }
    // 20 channels at most are joined at once, so join+leave pairs reach the 51st join.
    for (let k = 26; k < 60 && !refused; k++) {
      const ch = c.createChannel(`many-${k}`);
      try {
        await ch.join();
        await ch.leave();
      } catch (e) {
        refused = e as RtmError;
      }
    }
    assert.equal(refused?.code, 7);
    await c.logout();
  });

  test('member count from a non-member, and MemberCountUpdated right after joining', async () => {
    const a = await loggedIn(server, 'cc-a');
    const outsider = await loggedIn(server, 'cc-out');
    const ch = a.createChannel('room-count');
    const counts: number[] = [];
    ch.on('MemberCountUpdated', (n) => counts.push(n));
    await ch.join();
    await until(() => counts.length >= 1, 'count after join');
    assert.equal(counts[0], 1);
    assert.deepEqual(await outsider.getChannelMemberCount(['room-count', 'nobody-here']), {
      'room-count': 1,
      'nobody-here': 0,
    });
    await Promise.all([a.logout(), outsider.logout()]);
  });
});

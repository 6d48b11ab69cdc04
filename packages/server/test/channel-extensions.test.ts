import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parleyExtensions } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { channelMarker, loggedIn, testServer, until } from '@parley/testkit';

describe('server features for legacy Signaling', () => {
  let server: RunningServer;
  before(async () => {
    server = await testServer();
  });
  after(() => server.close());

  test('a channel message sent without joining reaches the members', async () => {
    const member = await loggedIn(server, 'ext-m');
    const outsider = await loggedIn(server, 'ext-o');
    const ch = member.createChannel('ext-room');
    const got: string[] = [];
    ch.on('ChannelMessage', (m, from) => got.push(`${from}:${(m as { text: string }).text}`));
    await ch.join();
    await parleyExtensions(outsider).sendChannelMessageWithoutJoining('ext-room', {
      text: 'from outside',
    });
    await until(() => got.length === 1, 'message');
    assert.deepEqual(got, ['ext-o:from outside']);
    // The plain RTM call still requires joining.
    await assert.rejects(
      outsider.createChannel('ext-room').sendMessage({ text: 'x' }),
      (e: { code: number }) => e.code === 5,
    );
    await Promise.all([member.logout(), outsider.logout()]);
  });

  test('a join can bring the member list', async () => {
    const a = await loggedIn(server, 'ext-la');
    const b = await loggedIn(server, 'ext-lb');
    await a.createChannel('ext-list').join();
    const members = await parleyExtensions(b).joinWithMemberList(b.createChannel('ext-list'));
    assert.deepEqual(members.sort(), ['ext-la', 'ext-lb']);
    await Promise.all([a.logout(), b.logout()]);
  });

  test('with echo on, a client receives its own channel messages; off by default', async () => {
    const a = await loggedIn(server, 'ext-ea');
    const b = await loggedIn(server, 'ext-eb');
    const ca = a.createChannel('ext-echo');
    const cb = b.createChannel('ext-echo');
    const aGot: string[] = [];
    const bGot: string[] = [];
    ca.on('ChannelMessage', (m) => aGot.push((m as { text: string }).text));
    cb.on('ChannelMessage', (m) => bGot.push((m as { text: string }).text));
    await ca.join();
    await cb.join();
    await parleyExtensions(a).setChannelMessageEcho(true);
    await ca.sendMessage({ text: 'echoed' });
    await cb.sendMessage({ text: 'not echoed' });
    await until(() => aGot.length === 2 && bGot.length === 1, 'messages');
    // Markers both ways: each has what the server sent it before (a's own marker echoes too).
    await channelMarker(cb, ca);
    await channelMarker(ca, cb);
    const plain = (got: string[]) => got.filter((t) => !t.startsWith('marker-'));
    assert.deepEqual(plain(aGot), ['echoed', 'not echoed']);
    assert.deepEqual(plain(bGot), ['echoed']);
    await Promise.all([a.logout(), b.logout()]);
  });
});

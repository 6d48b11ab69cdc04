/**
 * Member-count queries are batched on the session's clock: RTM allows one getChannelMemberCount
 * call a second, so the session sends at most one every 1.1 s, asking for every channel queried
 * meanwhile. Over a bare server that counts the requests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Signal from '@parley/signaling';
import { BareServer, entries, ManualClock, record, signOut, until } from '@parley/testkit';

const COUNTS: Record<string, number> = { 'mc-room': 2, 'mc-hall': 5 };

test('channelQueryUserNum: queries are batched into one request, and the next waits 1.1 s of the clock after it', async (t) => {
  const server = await BareServer.start({
    answers: {
      opts: () => undefined,
      pquery: () => ({ st: {} }),
      mcount: (f) => ({
        counts: Object.fromEntries((f.ids as string[]).map((id) => [id, COUNTS[id] ?? 0])),
      }),
    },
  });
  t.after(() => server.close());
  const clock = new ManualClock();
  const session = Signal('mc_app', { serverUrl: server.url, clock }).login(
    'mc-q',
    '_no_need_token',
  );
  const log = record(session, ['onLoginSuccess', 'onChannelQueryUserNumResult', 'onError']);
  await entries(log, 1, 'onLoginSuccess');
  log.length = 0;

  session.channelQueryUserNum('mc-room');
  session.channelQueryUserNum('mc-hall');
  session.channelQueryUserNum('mc-room');
  await clock.advance(0);
  await entries(log, 3, 'the first batch');
  assert.deepEqual(
    server.frames('mcount').map((f) => f.ids),
    [['mc-room', 'mc-hall']],
    'one request for both channels',
  );
  assert.deepEqual(log, [
    ['onChannelQueryUserNumResult', 'mc-room', 0, 2],
    ['onChannelQueryUserNumResult', 'mc-room', 0, 2],
    ['onChannelQueryUserNumResult', 'mc-hall', 0, 5],
  ]);

  session.channelQueryUserNum('mc-empty');
  await clock.advance(1099);
  // A later request on the same socket: once it arrived, an mcount sent before it would have too.
  session.queryUserStatus('mc-someone');
  await until(() => server.frames('pquery').length === 1, 'the later pquery');
  assert.equal(server.frames('mcount').length, 1, 'no second request before 1.1 s');

  await clock.advance(1);
  await entries(log, 4, 'the second batch');
  assert.deepEqual(server.frames('mcount')[1]!.ids, ['mc-empty']);
  assert.deepEqual(log[3], ['onChannelQueryUserNumResult', 'mc-empty', 0, 0]);
  await signOut(session);
});

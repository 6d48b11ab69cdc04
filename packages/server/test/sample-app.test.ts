import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSample12 } from '../../sdk/test/compat/sample-app-1-2.parley.js';
import { runSample } from '../../sdk/test/compat/sample-app.parley.js';
import { APP, testServer } from '@parley/testkit';

test('the sample agora-rtm-sdk 1.6 app runs its flows on Parley with only the import and serverUrl changed', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const log: string[] = [];
  await runSample(APP, (line) => log.push(line), server.url);
  const has = (line: string) =>
    assert.ok(log.includes(line), `missing "${line}" in:\n${log.join('\n')}`);
  has('version 1.6.0 string true');
  has('alice CONNECTING LOGIN');
  has('alice CONNECTED LOGIN_SUCCESS');
  has('alice subscribed to sample-bob');
  has('online bob=true nobody=false');
  has('alice sees sample-bob ONLINE');
  has('alice got "hello alice" from sample-bob true');
  has("bob's message received=true");
  has('room: sample-bob joined');
  has('room: sample-bob said hi room true');
  has('members sample-alice,sample-bob');
  has('count 2');
  has('alice attrs {"mood":"happy"}');
  has('alice mood {"mood":"happy"}');
  has('room: topic is launch by sample-bob');
  has('room attrs topic');
  has('room topic launch');
  has('alice sees metadata of sample-bob: 1 items');
  has('room metadata pin');
  has('bob rung by sample-alice content=call me channel=sample-call');
  has("alice's call ringing RECEIVED_BY_REMOTE");
  has("alice's call accepted: on my way ACCEPTED_BY_REMOTE");
  has('bob accepted ACCEPTED');
  has('room: sample-bob left');
  has('alice DISCONNECTED LOGOUT');
  has('listeners 0');
  assert.ok(
    log.indexOf('bob rung by sample-alice content=call me channel=sample-call') <
      log.indexOf("alice's call ringing RECEIVED_BY_REMOTE"),
    'the callee hears the invitation before the caller hears it was received',
  );
});

test('a 1.2.x app: SendMessageOptions stores for an offline peer, which reads isOfflineMessage', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const log: string[] = [];
  await runSample12(APP, (line) => log.push(line), server.url);
  assert.deepEqual(log, [
    'received=false',
    'v12-sender: while you were away offline=true',
    'v12-sender: welcome back offline=false',
    'received=true',
  ]);
});

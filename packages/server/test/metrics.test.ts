/**
 * `GET /metrics`: Prometheus text that parses line by line, prom-client's default process
 * metrics, and parley_* series that move with the traffic the test makes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRtmToken007 } from '@parley/token';
import { basic, restClient } from './rest-client.js';
import { client, loggedIn, testServer, until } from '@parley/testkit';

type Samples = Map<string, number>;

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(
  `^(${NAME})(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*",?)*\\})? (\\S+)$`,
);

/** Parses Prometheus text format 0.0.4 strictly; answers each sample by `name{labels}`. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
    if (meta) {
      assert.match(meta[2]!, new RegExp(`^${NAME}$`), line);
      if (meta[1] === 'TYPE') {
        assert.match(meta[3]!, /^(counter|gauge|histogram|summary|untyped)$/, line);
        typed.add(meta[2]!);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const value = Number(m[3]);
    // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case.
    assert.ok(!Number.isNaN(value) || /^[+-]?(nan|inf)$/i.test(m[3]!), `value of ${line}`);
    const base = m[1]!.replace(/_(bucket|sum|count|total|created)$/, '');
    assert.ok(
      typed.has(m[1]!) || typed.has(base) || typed.has(`${base}_total`),
      `TYPE before ${line}`,
    );
    samples.set(m[1]! + (m[2] ?? ''), value);
  }
  return samples;
}

test('/metrics parses as Prometheus text and the parley_* series move with the traffic', async (t) => {
  const CERT = 'fedcba9876543210fedcba9876543210';
  const server = await testServer({
    restKeys: [{ key: 'k', secret: 's' }],
    apps: [{ appId: 'test_app' }, { appId: 'locked_app', appCertificate: CERT }],
  });
  t.after(() => server.close());
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };
  const before = await scrape();
  assert.ok(before.has('process_cpu_user_seconds_total'), 'default process metrics');
  assert.ok(before.has('nodejs_heap_size_used_bytes'));
  const get = (s: Samples, key: string) => s.get(key) ?? 0;

  const alice = await loggedIn(server, 'mt-alice');
  const bob = await loggedIn(server, 'mt-bob');
  const carol = await loggedIn(server, 'mt-carol');
  const refused = client(server, {}, 'locked_app');
  await assert.rejects(
    refused.login({ uid: 'mt-x', token: buildRtmToken007('locked_app', CERT, 'other', 60) }),
  );
  await alice.sendMessageToPeer({ text: 'one' }, 'mt-bob');
  await alice.sendMessageToPeer({ text: 'two' }, 'mt-bob');
  const rooms = [alice, bob, carol].map((c) => c.createChannel('mt-room'));
  for (const r of rooms) await r.join();
  let heard = 0;
  for (const r of rooms.slice(1)) r.on('ChannelMessage', () => heard++);
  await rooms[0]!.sendMessage({ text: 'to the room' });
  await until(() => heard === 2, 'both members');
  const rest = restClient(server.port, basic('k', 's'));
  await rest('POST', '/dev/v2/project/test_app/rtm/users/mt-ops/peer_messages?wait_for_ack=true', {
    body: { destination: 'mt-carol', payload: 'three' },
  });
  await rest('GET', '/v1/apps/test_app/users/nobody', { auth: basic('k', 'wrong') });
  const inv = alice.createLocalInvitation('mt-bob');
  bob.on('RemoteInvitationReceived', (r) => r.accept());
  const accepted = new Promise<void>((resolve) =>
    inv.on('LocalInvitationAccepted', () => resolve()),
  );
  inv.send();
  await accepted;

  const after = await scrape();
  const delta = (key: string) => get(after, key) - get(before, key);
  assert.equal(delta('parley_logins_total{result="ok"}'), 3);
  assert.equal(delta('parley_logins_total{result="invalid_token"}'), 1);
  assert.equal(delta('parley_messages_total{kind="peer",source="sdk"}'), 2);
  assert.equal(delta('parley_messages_total{kind="peer",source="rest"}'), 1);
  assert.equal(delta('parley_messages_total{kind="channel",source="sdk"}'), 1);
  assert.equal(delta('parley_deliveries_total{kind="peer"}'), 3);
  assert.equal(delta('parley_deliveries_total{kind="channel"}'), 2, 'two members, not the sender');
  assert.equal(delta('parley_peer_receipt_seconds_count'), 3);
  assert.equal(delta('parley_peer_receipt_seconds_bucket{le="+Inf"}'), 3);
  assert.equal(delta('parley_invitations_total{outcome="accepted"}'), 1);
  assert.equal(delta('parley_rest_requests_total{route="peer_messages",status="200"}'), 1);
  assert.equal(delta('parley_rest_requests_total{route="user",status="401"}'), 1);
  assert.equal(get(after, 'parley_sessions'), 3);
  assert.equal(get(after, 'parley_connections'), 3);
  assert.equal(get(after, 'parley_channels'), 1);
  await Promise.all([alice, bob, carol].map((c) => c.logout()));
  await until(() => server.hub.size === 0, 'sessions gone');
  const last = await scrape();
  assert.equal(get(last, 'parley_sessions'), 0);
  assert.equal(get(last, 'parley_channels'), 0);
});

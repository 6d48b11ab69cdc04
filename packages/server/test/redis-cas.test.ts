/**
 * Two nodes on one Redis writing the same channel's attributes and metadata at once: every
 * write is a compare-and-set in Redis, so none is lost and revision checks hold across nodes.
 * (User attributes and metadata are written by their one user, who is on one node at a time;
 * two stores on two connections stand in for two nodes below.) And every script and
 * transaction keeps to one Redis Cluster slot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RtmClient, RtmError } from '@parley/sdk';
import type {
  AttributeMap,
  AttributeStore,
  StoredMetadata,
} from '../src/backend/attribute-store.js';
import { CONFLICT, OwnerWrites } from '../src/backend/owner-writes.js';
import { RedisAttributeStore } from '../src/backend/redis/redis-attribute-store.js';
import { RedisBanList } from '../src/backend/redis/redis-ban-list.js';
import { RedisChannelStore } from '../src/backend/redis/redis-channel-store.js';
import { RedisInvitationStore } from '../src/backend/redis/redis-invitation-store.js';
import { RedisNodeRegistry } from '../src/backend/redis/redis-node-registry.js';
import { RedisOfflineInbox } from '../src/backend/redis/redis-offline-inbox.js';
import { RedisUserRegistry } from '../src/backend/redis/redis-user-registry.js';
import type { RunningServer } from '../src/index.js';
import {
  killRedis,
  loggedIn,
  privateRedis,
  REDIS_URL,
  testServer,
  uniquePrefix,
  until,
} from '@parley/testkit';

/** Clients per node; 2 × 16 keys stay within the 32-key limit of attributes and metadata. */
const PER_NODE = 16;
/** Writes per client, within the 10 per 5 s a session may make. */
const WRITES = 5;

function item(c: RtmClient, key: string, value: string) {
  const it = c.createMetadataItem();
  it.setKey(key);
  it.setValue(value);
  return it;
}

describe('two nodes on one Redis write one channel at once', () => {
  let n1: RunningServer;
  let n2: RunningServer;
  before(async () => {
    const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix() };
    n1 = await testServer(shared);
    n2 = await testServer(shared);
  });
  after(async () => {
    await n1.close();
    await n2.close();
  });

  /** PER_NODE clients on each node, named `<tag>-n<node>-<k>`. */
  function clients(tag: string): Promise<RtmClient[]> {
    return Promise.all(
      [n1, n2].flatMap((n, node) =>
        Array.from({ length: PER_NODE }, (_, k) => loggedIn(n, `${tag}-n${node + 1}-${k}`)),
      ),
    );
  }
  const uids = (tag: string) =>
    [1, 2].flatMap((node) => Array.from({ length: PER_NODE }, (_, k) => `${tag}-n${node}-${k}`));

  test('channel attributes: concurrent addOrUpdate from both nodes lose no key and no last value', async () => {
    const all = await clients('ca');
    const names = uids('ca');
    // Each client writes its own key WRITES times; a node applies its writes in order.
    await Promise.all(
      all.flatMap((c, k) =>
        Array.from({ length: WRITES }, (_, w) =>
          c.addOrUpdateChannelAttributes('cas-attrs', { [names[k]!]: String(w + 1) }),
        ),
      ),
    );
    const attrs = await all[0]!.getChannelAttributes('cas-attrs');
    assert.deepEqual(Object.keys(attrs).sort(), [...names].sort(), 'every key is there');
    for (const name of names) {
      assert.equal(attrs[name]!.value, String(WRITES), `${name} has its last value`);
      assert.equal(attrs[name]!.lastUpdateUserId, name);
    }
    await Promise.all(all.map((c) => c.logout()));
  });

  test('channel metadata: concurrent sets from both nodes lose none; majorRevision counts every write', async () => {
    const all = await clients('cm');
    const names = uids('cm');
    const channels = all.map((c) => c.createChannel('cas-meta'));
    await Promise.all(channels.map((ch) => ch.join()));
    await Promise.all(
      all.flatMap((c, k) =>
        Array.from({ length: WRITES }, (_, w) =>
          channels[k]!.setChannelMetadata([item(c, names[k]!, String(w + 1))]),
        ),
      ),
    );
    const meta = await channels[0]!.getChannelMetadata();
    const writes = names.length * WRITES;
    assert.equal(meta.majorRevision, writes, 'each write advanced the majorRevision by one');
    assert.deepEqual(meta.items.map((i) => i.getKey()).sort(), [...names].sort());
    for (const i of meta.items) assert.equal(i.getValue(), String(WRITES), i.getKey());
    const revisions = meta.items.map((i) => i.getRevision());
    assert.equal(new Set(revisions).size, names.length, 'no two writes shared a revision');
    assert.equal(Math.max(...revisions), writes);
    await Promise.all(all.map((c) => c.logout()));
  });

  test('channel metadata: of concurrent writes naming the same majorRevision or item revision, exactly one succeeds', async () => {
    const all = await clients('cr');
    const channels = all.map((c) => c.createChannel('cas-rev'));
    await Promise.all(channels.map((ch) => ch.join()));
    await channels[0]!.setChannelMetadata([item(all[0]!, 'k', 'start')]);
    const start = await channels[0]!.getChannelMetadata();
    const outcome = async (write: Promise<void>) =>
      write.then(
        () => 'ok',
        (e: RtmError) => `code ${e.code}`,
      );

    const byMajor = await Promise.all(
      all.map((c, k) =>
        outcome(
          channels[k]!.setChannelMetadata([item(c, 'k', `major-${k}`)], {
            majorRevision: start.majorRevision,
          }),
        ),
      ),
    );
    assert.equal(byMajor.filter((o) => o === 'ok').length, 1, byMajor.join(', '));
    assert.equal(byMajor.filter((o) => o === 'code 8').length, all.length - 1);
    let meta = await channels[0]!.getChannelMetadata();
    assert.equal(meta.majorRevision, start.majorRevision + 1);
    assert.equal(meta.items[0]!.getValue(), `major-${byMajor.indexOf('ok')}`);

    const revision = meta.items[0]!.getRevision();
    const byItem = await Promise.all(
      all.map((c, k) => {
        const it = item(c, 'k', `item-${k}`);
        it.setRevision(revision);
        return outcome(channels[k]!.updateChannelMetadata([it]));
      }),
    );
    assert.equal(byItem.filter((o) => o === 'ok').length, 1, byItem.join(', '));
    assert.equal(byItem.filter((o) => o === 'code 8').length, all.length - 1);
    meta = await channels[0]!.getChannelMetadata();
    assert.equal(meta.majorRevision, start.majorRevision + 2);
    assert.equal(meta.items[0]!.getValue(), `item-${byItem.indexOf('ok')}`);
    await Promise.all(all.map((c) => c.logout()));
  });
});

describe('two attribute stores on two connections to one Redis', () => {
  const connections: Redis[] = [];
  after(() => Promise.all(connections.map((c) => c.quit())));

  function stores(): [AttributeStore, AttributeStore] {
    const prefix = uniquePrefix();
    const make = () => {
      const c = new Redis(REDIS_URL);
      connections.push(c);
      return new RedisAttributeStore(c, prefix);
    };
    return [make(), make()];
  }
  const ref = { owner: 'user', app: 'app', id: 'u1' } as const;
  const attr = (value: string) => ({ value, lastUpdateUserId: 'u1', lastUpdateTs: 1 });

  test('100 attribute writes from each at once: every one applied, in each writer’s order', async () => {
    const [a, b] = stores();
    const writers = [a, b].map(
      (s) =>
        new OwnerWrites<AttributeMap>(
          (o) => s.getAttributes(o.owner, o.app, o.id),
          (o, v, version) => s.putAttributesIf(o.owner, o.app, o.id, v, version),
        ),
    );
    const results = await Promise.all(
      writers.flatMap((w, n) =>
        Array.from({ length: 100 }, (_, k) =>
          w.write(ref, (cur) => {
            const next = new Map(cur).set(`w${n}-${k}`, attr(String(k)));
            // Each writer's own earlier writes are there already: its order is kept.
            const ordered = k === 0 || cur.has(`w${n}-${k - 1}`);
            return { next, result: ordered };
          }),
        ),
      ),
    );
    assert.deepEqual(results, Array<boolean>(200).fill(true));
    assert.equal((await b.getAttributes('user', 'app', 'u1')).value.size, 200);
  });

  test('100 metadata writes from each at once: every one applied, majorRevision counts them', async () => {
    const [a, b] = stores();
    const writers = [a, b].map(
      (s) =>
        new OwnerWrites<StoredMetadata>(
          (o) => s.getMetadata(o.owner, o.app, o.id),
          (o, v, version) => s.putMetadataIf(o.owner, o.app, o.id, v, version),
        ),
    );
    const majors = await Promise.all(
      writers.flatMap((w, n) =>
        Array.from({ length: 100 }, (_, k) =>
          w.write(ref, (cur) => {
            const major = cur.majorRevision + 1;
            const items = new Map(cur.items).set(`w${n}-${k}`, {
              value: String(k),
              revision: major,
              updateTs: 0,
              authorUserId: '',
            });
            return { next: { majorRevision: major, items }, result: major };
          }),
        ),
      ),
    );
    assert.ok(!majors.includes(CONFLICT));
    assert.deepEqual(
      [...majors].sort((x, y) => Number(x) - Number(y)),
      Array.from({ length: 200 }, (_, k) => k + 1),
      'each write saw the one before',
    );
    const stored = await b.getMetadata('user', 'app', 'u1');
    assert.equal(stored.value.majorRevision, 200);
    assert.equal(stored.value.items.size, 200);
  });
});

/** The part of a key Redis Cluster hashes to find its slot: the first non-empty {tag}, or all. */
function hashed(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/**
 * Runs `ops` on a fresh connection while MONITOR watches, and checks that every script and
 * transaction it sent names its keys (a script touches only keys in KEYS) and keeps to one
 * slot, as do MGET and DEL. Answers how many scripts and transactions it saw. On a private
 * redis-server: MONITOR on the shared one sees every other test's traffic, and under that
 * flood ioredis can take a monitor line for a reply ("Command queue state error").
 */
async function watchSlots(
  ops: (conn: Redis, prefix: string) => Promise<void>,
): Promise<{ scripts: number; transactions: number }> {
  const redis = await privateRedis();
  const base = new Redis(redis.port, '127.0.0.1');
  const monitor = await base.monitor();
  const conn = new Redis(redis.port, '127.0.0.1');
  const seen: { source: string; args: string[] }[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) =>
    seen.push({ source, args }),
  );
  try {
    const marker = uniquePrefix();
    await conn.ping(`${marker}start`);
    await ops(conn, uniquePrefix());
    await conn.ping(`${marker}end`);
    await until(() => seen.some((e) => e.args[1] === `${marker}end`), 'the end marker', 5000);

    const start = seen.findIndex((e) => e.args[1] === `${marker}start`);
    const end = seen.findIndex((e) => e.args[1] === `${marker}end`);
    const ours = seen[start]!.source;
    let script: string[] | undefined;
    let transaction: string[] | undefined;
    let scripts = 0;
    let transactions = 0;
    for (const { source, args } of seen.slice(start + 1, end)) {
      const [command, ...rest] = args;
      const name = command!.toLowerCase();
      if (source === 'lua') {
        if (!script) continue; // another client's script
        if (name === 'time') continue;
        assert.ok(script.includes(rest[0]!), `${args.join(' ')}: a key not in KEYS`);
        continue;
      }
      script = undefined;
      if (source !== ours) continue;
      if (name === 'eval' || name === 'evalsha') {
        script = rest.slice(2, 2 + Number(rest[1]));
        scripts++;
        assert.equal(
          new Set(script.map(hashed)).size,
          1,
          `${args.join(' ')}: keys in several slots`,
        );
      } else if (name === 'multi') transaction = [];
      else if (name === 'exec') {
        transactions++;
        assert.equal(
          new Set(transaction!.map(hashed)).size,
          1,
          `transaction over ${transaction!.join(' ')}`,
        );
        transaction = undefined;
      } else if (transaction) transaction.push(rest[0]!);
      else if (name === 'mget' || name === 'del')
        assert.equal(new Set(rest.map(hashed)).size, 1, `${args.join(' ')}: keys in several slots`);
    }
    return { scripts, transactions };
  } finally {
    conn.disconnect();
    monitor.disconnect();
    base.disconnect();
    await killRedis(redis);
  }
}

describe('Redis Cluster', () => {
  test('every script and transaction of the channel, attribute and invitation stores names its keys and keeps to one slot', async () => {
    const { scripts, transactions } = await watchSlots(async (conn, prefix) => {
      const channels = new RedisChannelStore(conn, prefix);
      const attributes = new RedisAttributeStore(conn, prefix);
      const invitations = new RedisInvitationStore(conn, prefix);
      await channels.join('app', 'room', 'u1');
      await channels.join('app', 'room', 'u2');
      await channels.members('app', 'room', 10);
      await channels.counts('app', ['room', 'hall']);
      await channels.channelsOf('app', 'u1');
      await channels.leave('app', 'room', 'u1');
      const attrs = await attributes.getAttributes('channel', 'app', 'room');
      const a = { value: 'v', lastUpdateUserId: 'u2', lastUpdateTs: 1 };
      await attributes.putAttributesIf(
        'channel',
        'app',
        'room',
        new Map([['k', a]]),
        attrs.version,
      );
      const meta = await attributes.getMetadata('user', 'app', 'u2');
      await attributes.putMetadataIf(
        'user',
        'app',
        'u2',
        {
          majorRevision: 1,
          items: new Map([['k', { ...a, revision: 1, updateTs: 0, authorUserId: '' }]]),
        },
        meta.version,
      );
      const inv = {
        app: 'app',
        id: 'i1',
        caller: 'u1',
        callee: 'u2',
        callerSid: 's1',
        calleeSid: '',
        channelId: '',
        content: '',
        response: '',
        phase: 'ringing',
        deadline: 1000,
      } as const;
      await invitations.create(inv);
      await invitations.update('app', 'u1', 'i1', { phases: ['ringing'] }, { phase: 'received' });
      await invitations.ofUser('app', 'u2');
      await invitations.due(2000, 10);
      await invitations.nextDeadline();
      await invitations.remove('app', 'u1', 'i1', { phases: ['received'] });
    });
    assert.equal(scripts, 7, 'join, join, put attributes, put metadata, create, update, remove');
    assert.ok(transactions >= 1, 'leave');
  });

  test('every script and transaction of the user registry, offline inbox, ban list and node registry names its keys and keeps to one slot', async () => {
    const { scripts, transactions } = await watchSlots(async (conn, prefix) => {
      const users = new RedisUserRegistry(conn, prefix);
      const offline = new RedisOfflineInbox(conn, prefix, { maxPerReceiver: 5, maxAgeMs: 60_000 });
      const bans = new RedisBanList(conn, prefix);
      const nodes = new RedisNodeRegistry(conn, prefix);
      const holder = { sid: 's1', node: 'n1' };
      await users.claimUser('app', 'u1', holder);
      await users.setPresence('app', 'u1', 'UNREACHABLE');
      await users.getPresence('app', ['u1', 'u2']);
      await users.locateUser('app', 'u1');
      await users.moveUser('app', 'u1', holder, 'n2');
      await users.releaseUser('app', 'u1', { sid: 's1', node: 'n2' });
      const msg = { mid: 'm1', from: 'u2', m: { k: 'T', x: 'hi' }, ts: Date.now() } as const;
      await offline.putOffline('app', 'u1', msg);
      await offline.listOffline('app', 'u1');
      await offline.deleteOffline('app', 'u1', ['m1']);
      await bans.setBan('app', 'u1', Date.now() + 60_000);
      await bans.getBan('app', 'u1', Date.now());
      await bans.setBan('app', 'u1', 0);
      await nodes.nodeAlive('n1', 60_000);
      await nodes.registerSession('n1', 'app', 'u1', 's1');
      await nodes.registerSession('n3', 'app', 'u3', 's3');
      await nodes.unregisterSession('n1', 'app', 'u1', 's1');
      await nodes.lapsedNodes();
      await nodes.takeSessions('n1');
      await nodes.takeSessions('n3');
    });
    assert.equal(
      scripts,
      7,
      'claim, presence, move, release, delete offline, take sessions twice (alive and lapsed)',
    );
    assert.equal(transactions, 1, 'put offline');
  });
});

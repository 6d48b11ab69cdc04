/**
 * Conformance suite of NodeRegistry implementations (node liveness, and the sessions each node
 * holds); every backend runs it unchanged.
 *
 * Marks lapse by time. Where the implementation takes time from a clock (memory), `advance`
 * moves that clock and a mark lapses at once; where it cannot (Redis expires keys by its own
 * clock), `advance` does nothing and the suite waits for the lapse to show in `lapsedNodes`,
 * so marks meant to lapse are set with the short `lapseTtlMs`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NodeRegistry, NodeSession } from '../src/backend/node-registry.js';
import { eventually } from '@parley/testkit';

export interface NodeRegistryHarness {
  nodes: NodeRegistry;
  /** A ttl for marks the test lets lapse (the Redis suite waits it out). */
  lapseTtlMs: number;
  /** Moves the registry's clock on by `ms`, where it has one. */
  advance(ms: number): Promise<void>;
}

export type NodeRegistryFactory = () => Promise<NodeRegistryHarness> | NodeRegistryHarness;

/** A ttl no test outlives. */
const LONG_TTL_MS = 600_000;

const byId = (a: NodeSession, b: NodeSession) =>
  `${a.app}/${a.uid}/${a.sid}`.localeCompare(`${b.app}/${b.uid}/${b.sid}`);

export function runNodeRegistryConformance(name: string, factory: NodeRegistryFactory): void {
  /** Lets `node`'s mark, set with `lapseTtlMs`, lapse, and waits until the registry says so. */
  async function lapse(h: NodeRegistryHarness, node: string): Promise<void> {
    await h.advance(h.lapseTtlMs);
    await eventually(async () => (await h.nodes.lapsedNodes()).includes(node), `${node} lapsed`);
  }

  describe(`node registry conformance: ${name}`, () => {
    test('nodeAlive answers false the first time, true while marked, false after the mark lapsed', async () => {
      const h = await factory();
      const { nodes } = h;
      assert.equal(await nodes.nodeAlive('n1', LONG_TTL_MS), false, 'the first time');
      assert.equal(await nodes.nodeAlive('n1', LONG_TTL_MS), true);
      assert.equal(await nodes.nodeAlive('n2', LONG_TTL_MS), false, 'nodes are apart');
      await h.advance(h.lapseTtlMs * 2);
      assert.equal(await nodes.nodeAlive('n1', LONG_TTL_MS), true, 'not lapsed before its ttl');

      assert.equal(await nodes.nodeAlive('n3', h.lapseTtlMs), false);
      await lapse(h, 'n3');
      assert.equal(await nodes.nodeAlive('n3', LONG_TTL_MS), false, 'after its mark lapsed');
      assert.equal(await nodes.nodeAlive('n3', LONG_TTL_MS), true, 'marked again');
    });

    test('lapsedNodes lists the known nodes whose mark lapsed, or that never set one', async () => {
      const h = await factory();
      const { nodes } = h;
      assert.deepEqual(await nodes.lapsedNodes(), []);
      await nodes.nodeAlive('alive', LONG_TTL_MS);
      await nodes.registerSession('alive', 'app', 'u1', 's1');
      await nodes.registerSession('unmarked', 'app', 'u2', 's2');
      await nodes.nodeAlive('quiet', LONG_TTL_MS);
      assert.deepEqual(await nodes.lapsedNodes(), ['unmarked']);
      await nodes.nodeAlive('quiet', h.lapseTtlMs);
      await lapse(h, 'quiet');
      assert.deepEqual((await nodes.lapsedNodes()).sort(), ['quiet', 'unmarked']);
      await nodes.nodeAlive('quiet', LONG_TTL_MS);
      assert.deepEqual(await nodes.lapsedNodes(), ['unmarked'], 'alive again');
      await nodes.takeSessions('unmarked');
      assert.deepEqual(await nodes.lapsedNodes(), [], 'a taken node is forgotten');
    });

    test('takeSessions takes a lapsed node’s registered sessions once; a second taker gets []', async () => {
      const h = await factory();
      const { nodes } = h;
      await nodes.nodeAlive('n1', LONG_TTL_MS);
      await nodes.nodeAlive('n2', LONG_TTL_MS);
      await nodes.registerSession('n1', 'app', 'u1', 's1');
      await nodes.registerSession('n1', 'app', 'u1', 's1'); // again: idempotent
      await nodes.registerSession('n1', 'app', 'u2', 's2');
      await nodes.registerSession('n1', 'other', 'u1', 's3');
      await nodes.registerSession('n1', 'app', 'u4', 's4');
      await nodes.unregisterSession('n1', 'app', 'u4', 's4');
      await nodes.unregisterSession('n1', 'app', 'u4', 's4'); // again: idempotent
      await nodes.unregisterSession('n1', 'app', 'nobody', 's1'); // not that session's user
      await nodes.registerSession('n2', 'app', 'u5', 's5');
      assert.deepEqual(await nodes.takeSessions('n1'), [], 'n1 is still alive');

      await nodes.nodeAlive('n1', h.lapseTtlMs);
      await lapse(h, 'n1');
      const takers = await Promise.all([nodes.takeSessions('n1'), nodes.takeSessions('n1')]);
      const [got, other] = takers[0].length > 0 ? takers : [takers[1], takers[0]];
      assert.deepEqual(
        [...got].sort(byId),
        [
          { app: 'app', uid: 'u1', sid: 's1' },
          { app: 'app', uid: 'u2', sid: 's2' },
          { app: 'other', uid: 'u1', sid: 's3' },
        ],
        'the registered sessions, not the unregistered one',
      );
      assert.deepEqual(other, [], 'the other taker gets none');
      assert.deepEqual(await nodes.takeSessions('n1'), [], 'nor does a later one');
      assert.ok(!(await nodes.lapsedNodes()).includes('n1'), 'n1 is forgotten');
      assert.deepEqual(await nodes.takeSessions('n2'), [], 'another node keeps its sessions');
      assert.deepEqual(await nodes.takeSessions('never-seen'), []);
    });

    test('a lapsed node that marks itself alive again keeps its sessions', async () => {
      const h = await factory();
      const { nodes } = h;
      await nodes.nodeAlive('n1', h.lapseTtlMs);
      await nodes.registerSession('n1', 'app', 'u1', 's1');
      await lapse(h, 'n1');
      assert.equal(await nodes.nodeAlive('n1', LONG_TTL_MS), false, 'it had lapsed');
      assert.deepEqual(await nodes.takeSessions('n1'), [], 'alive again: nothing taken');
      assert.ok(!(await nodes.lapsedNodes()).includes('n1'));
      await nodes.nodeAlive('n1', h.lapseTtlMs);
      await lapse(h, 'n1');
      assert.deepEqual(await nodes.takeSessions('n1'), [{ app: 'app', uid: 'u1', sid: 's1' }]);
    });

    test('a node taken for dead that comes back is known again, with the sessions it registers anew', async () => {
      const h = await factory();
      const { nodes } = h;
      await nodes.nodeAlive('n1', h.lapseTtlMs);
      await nodes.registerSession('n1', 'app', 'u1', 's1');
      await lapse(h, 'n1');
      assert.equal((await nodes.takeSessions('n1')).length, 1);
      assert.equal(await nodes.nodeAlive('n1', h.lapseTtlMs), false, 'it must register again');
      await nodes.registerSession('n1', 'app', 'u1', 's1');
      await lapse(h, 'n1');
      assert.deepEqual(await nodes.takeSessions('n1'), [{ app: 'app', uid: 'u1', sid: 's1' }]);
    });

    test('liveNodes lists the nodes whose mark lasts, with the sessions each registered', async () => {
      const h = await factory();
      const { nodes } = h;
      const a = `live-a-${Math.random().toString(36).slice(2)}`;
      const b = `live-b-${Math.random().toString(36).slice(2)}`;
      await nodes.nodeAlive(a, LONG_TTL_MS);
      await nodes.nodeAlive(b, h.lapseTtlMs);
      await nodes.registerSession(a, 'app', 'u1', 's1');
      await nodes.registerSession(a, 'app', 'u2', 's2');
      await nodes.registerSession(a, 'other', 'u1', 's3');
      await nodes.unregisterSession(a, 'app', 'u2', 's2');
      const mine = async () =>
        (await nodes.liveNodes()).filter((n) => n.node === a || n.node === b);
      assert.deepEqual(
        (await mine()).sort((x, y) => x.node.localeCompare(y.node)),
        [
          { node: a, sessions: 2 },
          { node: b, sessions: 0 },
        ],
      );
      await lapse(h, b);
      assert.deepEqual(await mine(), [{ node: a, sessions: 2 }], 'a lapsed node is not live');
    });
  });
}

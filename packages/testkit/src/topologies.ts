/**
 * The two deployments the probe tests run against: one node on the memory backend, and two
 * nodes sharing one Redis. A test spreads its clients over `nodes[0]` and `nodes[1]`, so on
 * Redis what one client does reaches the others through Redis; on memory both are the one node.
 */
import type { RunningServer, ServerConfig, ServerDeps } from '../../server/src/index.js';
import { REDIS_URL, uniquePrefix } from './redis.js';
import { testServer } from './test-server.js';

export const TOPOLOGIES = ['memory', 'two Redis nodes'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];

export interface Topology {
  readonly name: TopologyName;
  /** On memory, the same node twice. */
  readonly nodes: readonly [RunningServer, RunningServer];
  /** Closes every node (the second first: the first may hold what a test reads last). */
  close(): Promise<void>;
}

/** Starts the deployment `name`; `overrides` go to every node (e.g. one ManualClock). */
export async function startTopology(
  name: TopologyName,
  overrides: Partial<ServerConfig> & ServerDeps = {},
): Promise<Topology> {
  if (name === 'memory') {
    const node = await testServer(overrides);
    return { name, nodes: [node, node], close: () => node.close() };
  }
  const shared = { redisUrl: REDIS_URL, redisPrefix: uniquePrefix(), ...overrides };
  const a = await testServer(shared);
  const b = await testServer(shared).catch(async (e: unknown) => {
    await a.close();
    throw e;
  });
  return {
    name,
    nodes: [a, b],
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

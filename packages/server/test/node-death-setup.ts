/**
 * The setup of the node-death tests: two nodes on Redis, the survivor in this process and the
 * doomed one as a child process (to be killed), a sender on the survivor and a receiver logged
 * in on the doomed node whose `serverUrl` lists both (so it fails over to the survivor) — with
 * `proxied`, through a CutProxy in front of each, so a test can keep it away from both.
 */
import type { TestContext } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
  CutProxy,
  loggedIn,
  nodeProcess,
  recordStates,
  REDIS_URL,
  testServer,
  uniquePrefix,
  type NodeProcess,
} from '@parley/testkit';

/** Short liveness: a dead node shows within 3 heartbeats. */
export const DEATH_TIMERS = { heartbeatMs: 200, resumeWindowMs: 5000, unreachableAfterMs: 600 };

export interface NodeDeath {
  survivor: RunningServer;
  doomed: NodeProcess;
  sender: RtmClient;
  /** Logged in on the doomed node. */
  mover: RtmClient;
  /** The mover's state changes since its login. */
  states: string[];
  /** With `proxied`: the proxies in front of the doomed node and the survivor. */
  proxies: CutProxy[];
  /** The nodes' Redis key prefix. */
  prefix: string;
}

const portOf = (url: string) => Number(new URL(url).port);

export async function nodeDeath(
  t: TestContext,
  uids: { sender: string; mover: string },
  proxied = false,
): Promise<NodeDeath> {
  const prefix = uniquePrefix();
  const shared = {
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    sendRateCount: 1_000_000,
    ...DEATH_TIMERS,
  };
  const survivor = await testServer(shared);
  t.after(() => survivor.close());
  const doomed = await nodeProcess(t, shared);
  const sender = await loggedIn(survivor, uids.sender);
  const proxies = proxied
    ? await Promise.all([doomed.url, survivor.url].map((u) => CutProxy.start(portOf(u))))
    : [];
  for (const p of proxies) t.after(() => p.close());
  const mover = client(proxied ? proxies.map((p) => p.url) : [doomed.url, survivor.url]);
  await mover.login({ uid: uids.mover });
  return { survivor, doomed, sender, mover, states: recordStates(mover), proxies, prefix };
}

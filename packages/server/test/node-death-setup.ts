/**
 * The setup of the node-death tests: two nodes on Redis, the survivor in this process and the
 * doomed one as a child process (to be killed), a sender on the survivor and a receiver logged
 * in on the doomed node whose `serverUrl` lists both (so it fails over to the survivor).
 */
import type { TestContext } from 'node:test';
import type { RtmClient } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
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
}

export async function nodeDeath(
  t: TestContext,
  uids: { sender: string; mover: string },
): Promise<NodeDeath> {
  const shared = {
    redisUrl: REDIS_URL,
    redisPrefix: uniquePrefix(),
    sendRateCount: 1_000_000,
    ...DEATH_TIMERS,
  };
  const survivor = await testServer(shared);
  t.after(() => survivor.close());
  const doomed = await nodeProcess(t, shared);
  const sender = await loggedIn(survivor, uids.sender);
  const mover = client([doomed.url, survivor.url]);
  await mover.login({ uid: uids.mover });
  return { survivor, doomed, sender, mover, states: recordStates(mover) };
}

/**
 * The runner's options (`npm run bench -- …`), parsed with `node:util` `parseArgs`:
 *
 *   --quick              smaller sizes and shorter windows (a smoke run, ~3–4 minutes)
 *   --only S1,S5         scenarios to run (default: all; S1R,S2R are S1,S2 on two nodes + Redis)
 *   --servers parley,b1  servers to run (default: every server each scenario uses; b2r is
 *                        Socket.IO with the Redis adapter)
 *   --rounds N           run the selected scenarios N times, the servers' order reversed every
 *                        other round; every metric is reported as its median over the rounds,
 *                        with a table of each round's target values (default 1)
 *   --redis URL          the Redis for the multi-node scenarios (default: a private
 *                        redis-server the run starts and stops, pinned to CPU 1, so that its
 *                        command counts are the bench's)
 *   --profile            also CPU-profile each server in an extra window (S1, S2, S3, S6; S1R
 *                        and S2R one file per node) into the profiles directory (the measured
 *                        numbers are taken before)
 *   --heap-snapshot      write a heap snapshot of each server at the end of S5 into the same place
 *   --profiles DIR       the profiles directory (default $TMPDIR/parley-bench-profiles: heap
 *                        snapshots run to 100 MB and belong in no commit)
 *   --out DIR            where to write results (default bench/results; bench/results/quick
 *                        with --quick, so a smoke run never replaces the full run's results)
 *   --node-flags "..."   extra Node flags for the servers (e.g. "--trace-gc"), for diagnosis
 *   --server-output      show the servers' stdout/stderr
 *   --compare DIR        also run Parley from another checkout DIR (with its own node_modules
 *                        and this bench/ copied in) right after this one: before/after numbers
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LABEL, type ScenarioId, type ServerKind } from './ipc.js';

export interface Options {
  quick: boolean;
  only: ScenarioId[];
  servers: ServerKind[] | undefined;
  rounds: number;
  profile: boolean;
  heapSnapshot: boolean;
  out: string;
  profiles: string;
  nodeFlags: string[];
  serverOutput: boolean;
  compare: string | undefined;
  redis: string | undefined;
}

const SPEC = {
  quick: { type: 'boolean' },
  only: { type: 'string' },
  servers: { type: 'string' },
  rounds: { type: 'string' },
  profile: { type: 'boolean' },
  'heap-snapshot': { type: 'boolean' },
  out: { type: 'string' },
  profiles: { type: 'string' },
  'node-flags': { type: 'string' },
  'server-output': { type: 'boolean' },
  compare: { type: 'string' },
  redis: { type: 'string' },
} as const;

/** A comma-separated list, each item one of `known` (after `normalize`). */
function listOf<T extends string>(
  option: string,
  text: string,
  known: readonly T[],
  normalize: (s: string) => string = (s) => s,
): T[] {
  const items = text
    .split(',')
    .map((s) => normalize(s.trim()))
    .filter(Boolean);
  for (const item of items)
    if (!(known as readonly string[]).includes(item))
      throw new Error(`--${option}: unknown "${item}" (one of ${known.join(', ')})`);
  if (items.length === 0) throw new Error(`--${option}: an empty list`);
  return items as T[];
}

/**
 * The options of `argv` (the arguments after the script). `scenarios` are the ids the runner
 * knows, in the order it runs them by default; `defaultOut` the results directory of a full run.
 */
export function parseOptions(
  argv: string[],
  scenarios: readonly ScenarioId[],
  defaultOut: string,
): Options {
  const { values: v } = parseArgs({ args: argv, options: SPEC, strict: true });
  const rounds = v.rounds === undefined ? 1 : Number(v.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20)
    throw new Error(`--rounds: ${v.rounds} is not a whole number from 1 to 20`);
  const quick = v.quick === true;
  return {
    quick,
    only: v.only ? listOf('only', v.only, scenarios, (s) => s.toUpperCase()) : [...scenarios],
    servers: v.servers
      ? listOf('servers', v.servers, Object.keys(LABEL) as ServerKind[])
      : undefined,
    rounds,
    profile: v.profile === true,
    heapSnapshot: v['heap-snapshot'] === true,
    out: v.out ? path.resolve(v.out) : quick ? path.join(defaultOut, 'quick') : defaultOut,
    profiles: path.resolve(v.profiles ?? path.join(os.tmpdir(), 'parley-bench-profiles')),
    nodeFlags: (v['node-flags'] ?? '').split(' ').filter(Boolean),
    serverOutput: v['server-output'] === true,
    compare: v.compare === undefined ? undefined : path.resolve(v.compare),
    redis: v.redis,
  };
}

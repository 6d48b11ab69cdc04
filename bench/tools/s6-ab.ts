/**
 * A/B of S6's login cost: the bench's Parley server from several checkouts (or the bare `ws`
 * server), started in turn, each given the same S6-style load: 300 warm-up logins, a batch of
 * `n` that stays connected or not, then a measured batch of `n`, `concurrency` in flight, each
 * login with its own AccessToken2 for a certified app. Prints per round and per root the
 * logins/s and the server's CPU µs per login, and the medians. Alternating the roots round by
 * round spreads the shared machine's noise over all of them.
 *
 *   flock /tmp/parley-heavy.lock taskset -c 1 node --conditions=source --import tsx \
 *     bench/tools/s6-ab.ts ROOT[:bare][@ENV=V+ENV2=V2],ROOT2 [rounds=4] [n=3000] [concurrency=64] [keep|close]
 *
 * `NODE_FLAGS=…` in a root's env names node flags for its server (`@NODE_FLAGS=--trace-gc`).
 * `keep` leaves every client connected, heartbeating as the SDK does (as S6 does); `close`
 * closes each batch once it is in, so the measured batch is logins alone. The server runs on
 * CPU 0 (taskset); run this on CPU 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRtmToken007 } from '@parley/token';
import { BENCH_APP, type FromServer } from '../lib/ipc.js';
import { HAS_TASKSET, cpuMicros, machineBusyMicros } from '../lib/proc.js';
import { type BenchClient, connectMany } from '../load/clients.js';

const [rootsArg, rounds = '4', nArg = '3000', cArg = '64', mode = 'keep'] = process.argv.slice(2);
if (!rootsArg)
  throw new Error('usage: s6-ab.ts ROOT[,ROOT…] [rounds] [n] [concurrency] [keep|close]');
const roots = rootsArg.split(',');
const n = Number(nArg);
const concurrency = Number(cArg);
const WARMUP = 300;

interface Round {
  perSec: number;
  cpuUsPerLogin: number;
  /** This process (the clients) per login. */
  generatorUsPerLogin: number;
  otherPct: number;
}

async function round(root: string, seed: number): Promise<Round> {
  const [where = '', envText] = root.split('@');
  const bare = where.endsWith(':bare');
  const dir = bare ? where.slice(0, -':bare'.length) : where;
  const env = { ...process.env };
  for (const kv of envText?.split('+') ?? []) {
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 's6-ab-'));
  const script = path.join(dir, 'bench', 'servers', bare ? 'bare-ws.ts' : 'parley.ts');
  const args = bare
    ? []
    : [
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--log-level',
        'silent',
        '--data-dir',
        dataDir,
        '--apps',
        `${BENCH_APP.appId}:${BENCH_APP.appCertificate}`,
      ];
  const flags = env.NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  delete env.NODE_FLAGS;
  const node = ['--expose-gc', ...flags, '--conditions=source', '--import', 'tsx', script, ...args];
  const child = HAS_TASKSET
    ? spawn('taskset', ['-c', '0', process.execPath, ...node], {
        cwd: dir,
        env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
    : spawn(process.execPath, node, {
        cwd: dir,
        env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
  const port = await new Promise<number>((resolve) =>
    child.on('message', (m: FromServer) => m.type === 'ready' && resolve(m.port)),
  );
  const uid = (k: number) => `ab${seed}-${k}`;
  const tokens = Array.from({ length: WARMUP + 2 * n }, (_, k) =>
    buildRtmToken007(BENCH_APP.appId, BENCH_APP.appCertificate, uid(k), 3600),
  );
  const open = (offset: number, count: number) =>
    connectMany(bare ? 'bare' : 'parley', count, concurrency, (k) => ({
      url: `ws://127.0.0.1:${port}/`,
      uid: uid(offset + k),
      appId: BENCH_APP.appId,
      token: tokens[offset + k]!,
      events: {},
    }));
  const connected: BenchClient[] = [];
  const done = (clients: BenchClient[]) => {
    if (mode === 'keep') connected.push(...clients);
    else for (const c of clients) c.close();
  };
  done(await open(0, WARMUP));
  done(await open(WARMUP, n));
  await new Promise((r) => setTimeout(r, 500));
  const cpu0 = cpuMicros(child.pid!);
  const busy0 = machineBusyMicros();
  const self0 = cpuMicros('self');
  const t0 = performance.now();
  done(await open(WARMUP + n, n));
  const ms = performance.now() - t0;
  const cpu = cpuMicros(child.pid!) - cpu0;
  const self = cpuMicros('self') - self0;
  const other = machineBusyMicros() - busy0 - cpu - self;
  for (const c of connected) c.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return {
    perSec: n / (ms / 1000),
    cpuUsPerLogin: cpu / n,
    generatorUsPerLogin: self / n,
    otherPct: Math.max(0, other / ms / 10),
  };
}

const results = new Map<string, Round[]>(roots.map((r) => [r, []]));
for (let r = 0; r < Number(rounds); r++)
  for (const root of r % 2 ? [...roots].reverse() : roots) {
    const x = await round(root, r * roots.length + roots.indexOf(root));
    results.get(root)!.push(x);
    console.log(
      `round ${r} ${root}: ${x.perSec.toFixed(0)} logins/s, server ${x.cpuUsPerLogin.toFixed(0)} µs/login, ` +
        `generator ${x.generatorUsPerLogin.toFixed(0)} µs/login, other ${x.otherPct.toFixed(0)} %`,
    );
  }
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const [root, xs] of results)
  console.log(
    `${root}: median ${median(xs.map((x) => x.perSec)).toFixed(0)} logins/s, ` +
      `server ${median(xs.map((x) => x.cpuUsPerLogin)).toFixed(0)} µs/login, ` +
      `generator ${median(xs.map((x) => x.generatorUsPerLogin)).toFixed(0)} µs/login ` +
      `(runs ${xs.map((x) => x.cpuUsPerLogin.toFixed(0)).join(' ')})`,
  );
process.exit(0);

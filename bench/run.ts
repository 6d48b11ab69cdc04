/**
 * `npm run bench [-- options]`: runs every scenario against Parley and the baselines, one
 * server at a time, server pinned to CPU 0 and load generator to CPU 1, then prints the ratio
 * table and writes bench/results/{results.md,results.json,chart.svg}. The options are in
 * lib/options.ts (`--only`, `--servers`, `--rounds`, `--quick`, `--profile`, …).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '@parley/server';
import { environment } from './lib/env.js';
import {
  BENCH_APP,
  LABEL,
  type FromGenerator,
  type Job,
  type ScenarioId,
  type ScenarioResult,
  type ServerKind,
  type ToGenerator,
} from './lib/ipc.js';
import { BUILT_DIR_ENV, buildEntries, builtEntry, type EntryName } from './lib/entries.js';
import { FULL, QUICK } from './lib/params.js';
import {
  HAS_TASKSET,
  benchPath,
  cpuMicros,
  machineBusyMicros,
  pinSelf,
  sleep,
  spawnPinned,
  stopChild,
} from './lib/proc.js';
import { renderChart } from './lib/chart.js';
import { launchServer, type Server } from './lib/server-process.js';
import { type BenchRedis, startRedis, useRedis } from './lib/redis.js';
import { type WebhookSink, startWebhookSink } from './lib/webhook-sink.js';
import { type Options, parseOptions } from './lib/options.js';
import { refreshReadme } from './lib/readme.js';
import { type Results, renderConsole, renderMarkdown, targets } from './lib/report.js';
import { medianResults, roundsTable } from './lib/rounds.js';

const SERVER_CPU = 0;
const defaultOut = benchPath(import.meta.url, './results');
const LOAD_CPU = 1;

/** Which servers each scenario runs, in order. */
const PLAN: Record<ScenarioId, ServerKind[]> = {
  S1: ['parley', 'hooks', 'b0', 'b1', 'b2'],
  S2: ['parley', 'hooks', 'b0', 'b1', 'b2', 'b2a'],
  S3: ['parley', 'b0', 'b1', 'b2'],
  S4: ['parley', 'b0', 'b1', 'b2'],
  S5: ['parley', 'bare', 'b2'],
  S6: ['parley', 'bare', 'b2'],
  S7: ['parley'],
  S8: ['parley', 'b2'],
  S9: ['parley', 'b0', 'b1', 'b2'],
  S10: ['parley', 'b2'],
  S1R: ['parley', 'b2r'],
  S2R: ['parley', 'b2r'],
  S8R: ['parley', 'b2r'],
};

/**
 * Scenarios whose server runs as several nodes sharing a Redis. Both nodes are pinned to
 * SERVER_CPU: with two cores there is none to spare for a second server core, and this keeps
 * the load generator's core to itself as in every other scenario.
 */
const NODES: Partial<Record<ScenarioId, number>> = { S1R: 2, S2R: 2, S8R: 2 };

const SCRIPT: Record<Exclude<ServerKind, 'alt'>, EntryName> = {
  parley: 'parley',
  hooks: 'parley',
  b0: 'b0',
  b1: 'b1',
  b2: 'b2',
  b2a: 'b2',
  b2r: 'b2',
  bare: 'bare',
};

const started = performance.now();
function log(text: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${s}s] ${text}\n`);
}

/**
 * The load generator's young generation may grow to 64 MB (Node's default is 16). With the
 * default, S2's generator (2,000 clients in one process) promoted ≈ 1.4 MB per scavenge
 * (`--trace-gc-nvp`): scavenges of 4–5 ms every ~185 ms and a Mark-Compact about every second,
 * and each S2 window whose p99 jumped (to 12–40 ms) had one of those Mark-Compacts in it, the
 * generator stalled 20–44 ms while the server did not (timestamps of both sides' stalls and
 * GCs). With 64 MB: ≈ 0.13 MB promoted, scavenges of ≈ 2 ms, no Mark-Compact in the windows.
 * (32 MB was worse than 16: 2.7 MB promoted per scavenge.) The instrument's pauses are not the
 * servers' latency; every server is measured with the same generator.
 */
const GENERATOR_NODE_FLAGS = ['--max-semi-space-size=64'];

let options: Options;
/** Where this checkout's bundled entries are (`lib/entries.ts`), and the --compare one's. */
let built: string;
let altBuilt: string | undefined;
/** The Redis of the multi-node scenarios, when the run has any. */
let redis: BenchRedis | undefined;
/** The webhook receiver of the `hooks` server, when the run has one. */
let hookReceiver: WebhookSink | undefined;
/** S7's REST key. */
const REST_KEY = 'bench:bench-secret';

/** The Redis a node of a multi-node job uses: its URL and this job's key/channel prefix. */
interface Shared {
  url: string;
  prefix: string;
}

async function startServer(
  kind: ServerKind,
  scenario: ScenarioId,
  dataDir: string,
  shared?: Shared,
  /** 0 = any free port; S8's restart asks for the old one. */
  listenPort = 0,
): Promise<Server> {
  const redisArgs = shared ? ['--redis', shared.url, '--redis-prefix', shared.prefix] : [];
  const isParley = kind === 'parley' || kind === 'alt' || kind === 'hooks';
  const args = isParley
    ? [
        '--port',
        String(listenPort),
        '--host',
        '127.0.0.1',
        '--log-level',
        'silent',
        '--data-dir',
        dataDir,
        // The load scenarios send faster than a client may (60 messages/s): allow 10,000/s.
        // RateWindow keeps one slot per allowed message, so the count stays small; the memory
        // and login scenarios keep the defaults.
        ...(scenario === 'S5' || scenario === 'S6'
          ? []
          : ['--send-rate-count', '1000', '--send-rate-window-ms', '100']),
        ...(scenario === 'S6' ? ['--apps', `${BENCH_APP.appId}:${BENCH_APP.appCertificate}`] : []),
        ...(kind === 'hooks' ? hookReceiver!.flags : []),
        ...(scenario === 'S7' ? ['--rest-keys', REST_KEY, '--rest-rate-per-second', '0'] : []),
        ...redisArgs,
      ]
    : [...redisArgs, '--port', String(listenPort), ...(kind === 'b2a' ? ['--acks'] : [])];
  const script = kind === 'alt' ? builtEntry(altBuilt!, 'parley') : builtEntry(built, SCRIPT[kind]);
  // Parley starts with the flags parley-server ships with (its #! line); baselines with Node's.
  const shipped = isParley ? SERVER_NODE_FLAGS : [];
  const flags = ['--expose-gc', ...shipped, ...options.nodeFlags];
  return launchServer(kind, SERVER_CPU, script, args, flags, options.serverOutput);
}

let jobCounter = 0;

async function runJob(
  job: Omit<Job, 'urls' | 'serverPids' | 'redis'>,
  timeoutMs: number,
): Promise<ScenarioResult> {
  const nodes = NODES[job.scenario] ?? 1;
  const dataDirs = Array.from({ length: nodes }, () =>
    mkdtempSync(path.join(os.tmpdir(), 'parley-bench-')),
  );
  const shared: Shared | undefined =
    nodes > 1
      ? { url: redis!.url, prefix: `parley-bench:${process.pid}:${++jobCounter}:` }
      : undefined;
  const servers: Server[] = [];
  /** Nodes the job stops on purpose (S8's restart, S8R's kill): their exit is no failure. */
  const restarting = new Set<ChildProcess>();
  let generator: ChildProcess | undefined;
  const tag = `${job.scenario} ${LABEL[job.server]}`;
  const hooksBase = hookReceiver?.received() ?? 0;
  try {
    for (const dir of dataDirs)
      servers.push(await startServer(job.server, job.scenario, dir, shared));
    const full: Job = {
      ...job,
      urls: servers.map((s) => `ws://127.0.0.1:${s.port}`),
      serverPids: servers.map((s) => s.child.pid!),
      ...(shared ? { redis: { url: shared.url, pid: redis!.pid } } : {}),
    };
    generator = spawnPinned(LOAD_CPU, builtEntry(built, 'generator'), [], GENERATOR_NODE_FLAGS, {
      ...process.env,
      [BUILT_DIR_ENV]: built,
    });
    const gen = generator;
    let stderr = '';
    gen.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    gen.stdout?.resume();
    return await new Promise<ScenarioResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      gen.on('message', (m: FromGenerator) => {
        if (m.type === 'progress') log(`${tag}: ${m.text}`);
        else if (m.type === 'server' && (m.command.cmd === 'restart' || m.command.cmd === 'kill'))
          void (m.command.cmd === 'restart' ? restart(m.node) : kill(m.node)).then(
            (data) => gen.send({ type: 'server-reply', id: m.id, data } satisfies ToGenerator),
            (err: unknown) => {
              clearTimeout(timer);
              reject(err instanceof Error ? err : new Error(String(err)));
            },
          );
        else if (m.type === 'server' && m.command.cmd === 'drain-hooks')
          void (
            job.server === 'hooks' && hookReceiver
              ? hookReceiver.drain(hooksBase + m.command.notices)
              : Promise.resolve({ received: 0, waitedMs: 0 })
          ).then((data) =>
            gen.send({ type: 'server-reply', id: m.id, data } satisfies ToGenerator),
          );
        else if (m.type === 'server')
          void servers[m.node]!.command(m.command).then((data) =>
            gen.send({ type: 'server-reply', id: m.id, data } satisfies ToGenerator),
          );
        else {
          clearTimeout(timer);
          if (m.type === 'result') resolve(m.result);
          else reject(new Error(m.message));
        }
      });
      gen.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load generator exited (${code}): ${stderr}`));
      });
      const watch = (srv: Server, k: number) =>
        srv.child.once('exit', (code) => {
          if (restarting.has(srv.child)) return;
          clearTimeout(timer);
          reject(new Error(`server${nodes > 1 ? ` node ${k + 1}` : ''} exited (${code})`));
        });
      /** S8: SIGTERM node k, wait for its exit, start it again on the same port. */
      const restart = async (k: number): Promise<{ pid: number; downMs: number }> => {
        const old = servers[k]!;
        restarting.add(old.child);
        const exited = new Promise<void>((r) => old.child.once('exit', () => r()));
        const t0 = performance.now();
        old.child.kill('SIGTERM');
        await exited;
        const srv = await startServer(job.server, job.scenario, dataDirs[k]!, shared, old.port);
        servers[k] = srv;
        watch(srv, k);
        return { pid: srv.child.pid!, downMs: performance.now() - t0 };
      };
      /** S8R: SIGKILL node k (no drain, no restart); answers once it has exited. */
      const kill = async (k: number): Promise<{ exitMs: number }> => {
        const old = servers[k]!;
        restarting.add(old.child);
        const exited = new Promise<void>((r) => old.child.once('exit', () => r()));
        const t0 = performance.now();
        old.child.kill('SIGKILL');
        await exited;
        return { exitMs: performance.now() - t0 };
      };
      servers.forEach((srv, k) => watch(srv, k));
      gen.send({ type: 'job', job: full } satisfies ToGenerator);
    });
  } finally {
    if (generator) await stopChild(generator);
    for (const srv of servers) await stopChild(srv.child);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    if (shared) await redis!.clean(shared.prefix);
  }
}

/** Seconds the whole run may spend waiting for other work on the machine to calm down. */
let quietBudgetMs = 0;

/**
 * Other engineers' test suites share these two cores. Before each job, wait (within the run's
 * budget) until other work uses less than a quarter of a core; answers what it last saw, %.
 */
async function waitForQuiet(): Promise<number> {
  for (;;) {
    const b0 = machineBusyMicros();
    const s0 = cpuMicros('self');
    const t0 = performance.now();
    await sleep(500);
    const ms = performance.now() - t0;
    const other = (machineBusyMicros() - b0 - (cpuMicros('self') - s0)) / ms / 10;
    if (other < 25 || quietBudgetMs <= 0) return other;
    log(`other work on the machine uses ${other.toFixed(0)} % of a core: waiting`);
    await sleep(1500);
    quietBudgetMs -= ms + 1500;
  }
}

/**
 * One round: every selected scenario on each of its servers, one job at a time. Odd rounds
 * run each scenario's servers in reverse order, so no server always goes first.
 */
async function runRound(o: Options, round: number): Promise<Results> {
  const params = o.quick ? QUICK : FULL;
  const results: Results = {};
  const suffix = round > 0 ? `-r${round + 1}` : '';
  for (const scenario of o.only) {
    const servers = PLAN[scenario]
      .flatMap((s): ServerKind[] => (s === 'parley' && o.compare ? ['parley', 'alt'] : [s]))
      .filter(
        (s) => !o.servers || o.servers.includes(s) || (s === 'alt' && o.servers.includes('parley')),
      );
    if (round % 2 === 1) servers.reverse();
    for (const server of servers) {
      const busy = await waitForQuiet();
      log(`${scenario} ${LABEL[server]}: starting (other work: ${busy.toFixed(0)} % of a core)`);
      const t0 = performance.now();
      const job: Omit<Job, 'urls' | 'serverPids' | 'redis'> = { scenario, server, params };
      if (scenario === 'S7') job.restKey = REST_KEY;
      if (o.profile && scenario !== 'S4' && scenario !== 'S5')
        job.profileFile = path.join(o.profiles, `${scenario}-${server}${suffix}.cpuprofile`);
      if (o.heapSnapshot && scenario === 'S5')
        job.heapSnapshotFile = path.join(o.profiles, `${scenario}-${server}${suffix}.heapsnapshot`);
      try {
        const r = await runJob(job, o.quick ? 90_000 : 180_000);
        (results[scenario] ??= {})[server] = r;
        log(
          `${scenario} ${LABEL[server]}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        (results[scenario] ??= {})[server] = {
          metrics: {},
          notes: [`failed: ${message.split('\n')[0]}`],
        };
        log(`${scenario} ${LABEL[server]}: FAILED: ${message}`);
      }
    }
    // The same order of servers in every round's table.
    const r = results[scenario];
    if (r && round % 2 === 1)
      results[scenario] = Object.fromEntries(Object.entries(r).reverse()) as typeof r;
  }
  return results;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), Object.keys(PLAN) as ScenarioId[], defaultOut);
  options = o;
  pinSelf(LOAD_CPU);
  const params = o.quick ? QUICK : FULL;
  quietBudgetMs = o.quick ? 10_000 : 60_000;
  const env = environment();
  log(
    `Parley bench${o.quick ? ' (quick)' : ''}: ${env.cpu}, ${env.cores} cores, Node ${env.node}; ` +
      (HAS_TASKSET
        ? `servers on CPU ${SERVER_CPU}, load generators on CPU ${LOAD_CPU}`
        : 'taskset not found: processes are NOT pinned'),
  );
  if (o.profile || o.heapSnapshot) mkdirSync(o.profiles, { recursive: true });
  log('building the packages and bundling the entries (plain JavaScript, as npm start runs)');
  built = await buildEntries(benchPath(import.meta.url, '..'));
  if (o.compare) altBuilt = await buildEntries(o.compare, ['parley']);
  if (o.only.some((id) => (NODES[id] ?? 1) > 1)) {
    redis = o.redis ? await useRedis(o.redis) : await startRedis(LOAD_CPU);
    env.redis = redis.description;
    log(`the multi-node scenarios share ${env.redis} at ${redis.url}`);
  }
  if (
    o.only.some((id) => PLAN[id].includes('hooks')) &&
    (!o.servers || o.servers.includes('hooks'))
  )
    hookReceiver = await startWebhookSink();
  const perRound: Results[] = [];
  for (let round = 0; round < o.rounds; round++) {
    if (o.rounds > 1) log(`round ${round + 1} of ${o.rounds}`);
    perRound.push(await runRound(o, round));
  }
  const results = o.rounds > 1 ? medianResults(perRound) : perRound[0]!;
  await redis?.stop();
  if (hookReceiver) log(`the webhook receiver got ${hookReceiver.received()} notices`);
  await hookReceiver?.stop();
  env.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const elapsedS = (performance.now() - started) / 1000;
  const rowsOf = (r: Results) => [...targets(r), ...(o.compare ? targets(r, 'alt') : [])];
  const rows = rowsOf(results);
  const rounds = o.rounds > 1 ? roundsTable(rows, perRound.map(rowsOf)) : undefined;
  process.stdout.write('\n' + renderConsole(rows, results, rounds) + '\n');
  mkdirSync(o.out, { recursive: true });
  const svg = renderChart(rows, results);
  writeFileSync(path.join(o.out, 'chart.svg'), svg);
  writeFileSync(
    path.join(o.out, 'results.md'),
    renderMarkdown({ rows, rounds, results, env, params, quick: o.quick, elapsedS }),
  );
  writeFileSync(
    path.join(o.out, 'results.json'),
    JSON.stringify(
      { env, quick: o.quick, params, elapsedS, targets: rows, results, rounds: perRound },
      null,
      2,
    ) + '\n',
  );
  // A full run of everything into the default place also refreshes the README's results.
  const everything = o.only.length === Object.keys(PLAN).length;
  if (!o.quick && !o.servers && !o.compare && everything && o.out === defaultOut)
    log(
      refreshReadme(
        renderMarkdown({ rows, rounds, results, env, params, quick: o.quick, elapsedS }),
      ),
    );
  log(
    `wrote ${path.relative(process.cwd(), o.out)}/results.md, results.json, chart.svg (${elapsedS.toFixed(0)} s in all)`,
  );
}

main().catch(async (err: unknown) => {
  process.stderr.write(
    `bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  // A private redis-server would outlive the run.
  await redis?.stop().catch(() => undefined);
  process.exit(1);
});

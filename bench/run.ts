/**
 * `npm run bench [-- options]`: runs every scenario against Parley and the baselines, one
 * server at a time, server pinned to CPU 0 and load generator to CPU 1, then prints the ratio
 * table and writes bench/results/{results.md,results.json,chart.svg}.
 *
 *   --quick              smaller sizes and shorter windows (a smoke run, ~2–3 minutes)
 *   --only S1,S5         scenarios to run (default: all)
 *   --servers parley,b1  servers to run (default: every server each scenario uses)
 *   --profile            also CPU-profile each server in an extra window (S1, S2, S3, S6) into
 *                        the profiles directory (the measured numbers are taken before)
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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { environment } from './lib/env.js';
import {
  BENCH_APP,
  LABEL,
  type FromGenerator,
  type FromServer,
  type Job,
  type ScenarioId,
  type ScenarioResult,
  type ServerCommand,
  type ServerKind,
  type ToGenerator,
} from './lib/ipc.js';
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
import { type Results, renderConsole, renderMarkdown, targets } from './lib/report.js';

const SERVER_CPU = 0;
const RESULTS_MARK = '<!-- results: written by `npm run bench` (a full run into bench/results) -->';
const defaultOut = benchPath(import.meta.url, './results');
const LOAD_CPU = 1;

/** Which servers each scenario runs, in order. */
const PLAN: Record<ScenarioId, ServerKind[]> = {
  S1: ['parley', 'b0', 'b1', 'b2'],
  S2: ['parley', 'b0', 'b1', 'b2'],
  S3: ['parley', 'b0', 'b1', 'b2'],
  S4: ['parley', 'b0', 'b1', 'b2'],
  S5: ['parley', 'bare', 'b2'],
  S6: ['parley', 'bare', 'b2'],
};

const SCRIPT: Record<ServerKind, string> = {
  parley: './servers/parley.ts',
  alt: './servers/parley.ts',
  b0: './servers/b0-naive-ws.ts',
  b1: './servers/b1-tuned-ws.ts',
  b2: './servers/b2-socketio.ts',
  bare: './servers/bare-ws.ts',
};

interface Options {
  quick: boolean;
  only: ScenarioId[];
  servers: ServerKind[] | undefined;
  profile: boolean;
  heapSnapshot: boolean;
  out: string;
  profiles: string;
  nodeFlags: string[];
  serverOutput: boolean;
  compare: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    quick: false,
    only: Object.keys(PLAN) as ScenarioId[],
    servers: undefined,
    profile: false,
    heapSnapshot: false,
    out: '',
    profiles: path.join(os.tmpdir(), 'parley-bench-profiles'),
    nodeFlags: [],
    serverOutput: false,
    compare: undefined,
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--quick') o.quick = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--heap-snapshot') o.heapSnapshot = true;
    else if (a === '--only') o.only = argv[++k]!.toUpperCase().split(',') as ScenarioId[];
    else if (a === '--servers') o.servers = argv[++k]!.split(',') as ServerKind[];
    else if (a === '--out') o.out = path.resolve(argv[++k]!);
    else if (a === '--profiles') o.profiles = path.resolve(argv[++k]!);
    else if (a === '--node-flags') o.nodeFlags = argv[++k]!.split(' ').filter(Boolean);
    else if (a === '--server-output') o.serverOutput = true;
    else if (a === '--compare') o.compare = path.resolve(argv[++k]!);
    else throw new Error(`unknown option ${a}`);
  }
  o.out ||= o.quick ? path.join(defaultOut, 'quick') : defaultOut;
  return o;
}

const started = performance.now();
function log(text: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${s}s] ${text}\n`);
}

/** A running server under test. */
interface Server {
  child: ChildProcess;
  port: number;
  command(c: ServerCommand): Promise<unknown>;
}

let options: Options;

async function startServer(
  kind: ServerKind,
  scenario: ScenarioId,
  dataDir: string,
): Promise<Server> {
  const args =
    kind === 'parley' || kind === 'alt'
      ? [
          '--port',
          '0',
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
          ...(scenario === 'S6'
            ? ['--apps', `${BENCH_APP.appId}:${BENCH_APP.appCertificate}`]
            : []),
        ]
      : [];
  const script =
    kind === 'alt'
      ? path.join(options.compare!, 'bench', 'servers', 'parley.ts')
      : benchPath(import.meta.url, SCRIPT[kind]);
  const child = spawnPinned(SERVER_CPU, script, args, ['--expose-gc', ...options.nodeFlags]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (options.serverOutput) process.stderr.write(d);
  });
  if (options.serverOutput) child.stdout?.pipe(process.stderr);
  else child.stdout?.resume();
  const replies = new Map<number, (data: unknown) => void>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${kind} did not start in 30 s: ${stderr}`)),
      30_000,
    );
    child.on('message', (m: FromServer) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.port);
      } else replies.get(m.id)?.(m.data);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (${code}): ${stderr}`));
    });
  });
  return {
    child,
    port,
    command(c) {
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, resolve);
        child.send({ id, ...c });
      });
    },
  };
}

async function runJob(
  job: Omit<Job, 'url' | 'serverPid'>,
  timeoutMs: number,
): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  let server: Server | undefined;
  let generator: ChildProcess | undefined;
  const tag = `${job.scenario} ${LABEL[job.server]}`;
  try {
    server = await startServer(job.server, job.scenario, dataDir);
    const full: Job = {
      ...job,
      url: `ws://127.0.0.1:${server.port}`,
      serverPid: server.child.pid!,
    };
    generator = spawnPinned(LOAD_CPU, benchPath(import.meta.url, './load/generator.ts'), []);
    const gen = generator;
    let stderr = '';
    gen.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    gen.stdout?.resume();
    const srv = server;
    return await new Promise<ScenarioResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      gen.on('message', (m: FromGenerator) => {
        if (m.type === 'progress') log(`${tag}: ${m.text}`);
        else if (m.type === 'server')
          void srv
            .command(m.command)
            .then((data) =>
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
      srv.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code})`));
      });
      gen.send({ type: 'job', job: full } satisfies ToGenerator);
    });
  } finally {
    if (generator) await stopChild(generator);
    if (server) await stopChild(server.child);
    rmSync(dataDir, { recursive: true, force: true });
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

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
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
  const profiles = o.profiles;
  if (o.profile || o.heapSnapshot) mkdirSync(profiles, { recursive: true });
  const results: Results = {};
  for (const scenario of o.only) {
    const servers = PLAN[scenario]
      .flatMap((s): ServerKind[] => (s === 'parley' && o.compare ? ['parley', 'alt'] : [s]))
      .filter(
        (s) => !o.servers || o.servers.includes(s) || (s === 'alt' && o.servers.includes('parley')),
      );
    for (const server of servers) {
      const busy = await waitForQuiet();
      log(`${scenario} ${LABEL[server]}: starting (other work: ${busy.toFixed(0)} % of a core)`);
      const t0 = performance.now();
      const job: Omit<Job, 'url' | 'serverPid'> = { scenario, server, params };
      if (o.profile && scenario !== 'S4' && scenario !== 'S5')
        job.profileFile = path.join(profiles, `${scenario}-${server}.cpuprofile`);
      if (o.heapSnapshot && scenario === 'S5')
        job.heapSnapshotFile = path.join(profiles, `${scenario}-${server}.heapsnapshot`);
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
  }
  env.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const elapsedS = (performance.now() - started) / 1000;
  const rows = [...targets(results), ...(o.compare ? targets(results, 'alt') : [])];
  process.stdout.write('\n' + renderConsole(rows, results) + '\n');
  mkdirSync(o.out, { recursive: true });
  const svg = renderChart(rows, results);
  writeFileSync(path.join(o.out, 'chart.svg'), svg);
  writeFileSync(
    path.join(o.out, 'results.md'),
    renderMarkdown({ rows, results, env, params, quick: o.quick, elapsedS }),
  );
  writeFileSync(
    path.join(o.out, 'results.json'),
    JSON.stringify({ env, quick: o.quick, params, elapsedS, targets: rows, results }, null, 2) +
      '\n',
  );
  // A full run of everything into the default place also refreshes the README's results.
  if (!o.quick && !o.servers && !o.compare && o.only.length === 6 && o.out === defaultOut) {
    const readme = benchPath(import.meta.url, './README.md');
    const text = readFileSync(readme, 'utf8');
    const k = text.indexOf(RESULTS_MARK);
    if (k >= 0) {
      const md = renderMarkdown({ rows, results, env, params, quick: o.quick, elapsedS })
        .replace(/^## /gm, '### ')
        .replace(/^# Parley benchmark results/, '## Latest results')
        .replace('](chart.svg)', '](results/chart.svg)');
      writeFileSync(readme, text.slice(0, k + RESULTS_MARK.length) + '\n\n' + md);
      // Keep the README in the repository's Prettier style (`npm run lint` checks it).
      try {
        execFileSync(
          benchPath(import.meta.url, '../node_modules/.bin/prettier'),
          ['--write', readme],
          {
            stdio: 'ignore',
          },
        );
      } catch {
        log('prettier could not format bench/README.md; run `npx prettier --write bench`');
      }
      log('updated bench/README.md');
    }
  }
  log(
    `wrote ${path.relative(process.cwd(), o.out)}/results.md, results.json, chart.svg (${elapsedS.toFixed(0)} s in all)`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});

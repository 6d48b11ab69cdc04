/**
 * A Parley node as its own child process (the CLI run from source), for tests that kill nodes or
 * need several processes. A node never outlives the test process: `nodeProcess` kills it when
 * the test ends, every node still running is killed when the process exits, and a node whose
 * parent dies without exiting cleanly (SIGKILL, a crash) exits when its stdin pipe closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RestKey, ServerConfig } from '../../server/src/config.js';
import { OPTIONS } from '../../server/src/options.js';
import { tempDir } from './temp-dir.js';

/**
 * Options of the CLI's table, by config key (`{ heartbeatMs: 200 }` → `--heartbeat-ms 200`),
 * and the REST keys (`--rest-keys key:secret,…`).
 */
export type NodeConfig = Partial<Pick<ServerConfig, NodeConfigKey>> & {
  restKeys?: readonly RestKey[];
};
type NodeConfigKey = {
  [K in keyof ServerConfig]-?: ServerConfig[K] extends number | string | undefined ? K : never;
}[keyof ServerConfig];

export interface NodeProcess {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly child: ChildProcess;
  /** What the node wrote on stdout and stderr so far (its logs at `logLevel`). */
  output(): string;
  /** SIGKILL, as a crash: no draining; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, as an operator: the node drains its clients; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const CLI = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));
/** Preloaded in the child: exit once the parent's end of stdin closes (the parent died). */
const ORPHAN_GUARD =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(70)).on("error",()=>{}).resume();';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT_CHARS = 64 * 1024;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function flags(config: NodeConfig): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    const option = OPTIONS.find((o) => o.key === key);
    if (!option) throw new Error(`node-process: no CLI option for ${key}`);
    const text = Array.isArray(value)
      ? (value as RestKey[]).map((k) => `${k.key}:${k.secret}`).join(',')
      : String(value);
    out.push(option.flag, text);
  }
  return out;
}

/**
 * Starts a node and answers once it listens. Defaults: port 0 on 127.0.0.1, a fresh data dir
 * (removed when the node exits), log level `warn`. Rejects (and kills the child) if the node
 * exits or is not listening within 30 s.
 */
export async function startNode(config: NodeConfig = {}): Promise<NodeProcess> {
  const dataDir = config.dataDir ?? tempDir();
  const all: NodeConfig = { port: 0, host: '127.0.0.1', logLevel: 'warn', ...config, dataDir };
  const args = ['--conditions=source', '--import', 'tsx', '--import', ORPHAN_GUARD, CLI];
  const child = spawn(process.execPath, [...args, ...flags(all)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-OUTPUT_KEPT_CHARS));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      if (config.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (sig: NodeJS.Signals) => {
    if (!gone()) child.kill(sig);
    return exited;
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not listening after ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const onData = () => {
      const m = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      resolve(m[1]!);
    };
    const onExit = (code: number | null) => fail(`exited (${code}) before listening`);
    const fail = (why: string) => {
      clearTimeout(timer);
      void signal('SIGKILL');
      reject(new Error(`parley node ${why}:\n${out}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    url,
    child,
    output: () => out,
    kill: async () => {
      await signal('SIGKILL');
    },
    stop: async () => {
      const timer = setTimeout(() => void signal('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await signal('SIGTERM');
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * What runs cleanups when it ends: a test's `t`. (In a `describe`, start nodes in `before` with
 * `startNode` and call `killAllNodes` in `after`: node:test runs an `after` registered inside
 * a `before` hook at once.)
 */
export interface Owner {
  after(fn: () => Promise<void>): void;
}

/** Starts `count` nodes at once, each killed when `owner` ends (pass or fail). */
export async function nodeProcesses(
  owner: Owner,
  count: number,
  config: NodeConfig = {},
): Promise<NodeProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startNode(config)));
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  owner.after(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
  });
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return nodes;
}

/** Starts one node, killed when `owner` ends (pass or fail). */
export async function nodeProcess(owner: Owner, config: NodeConfig = {}): Promise<NodeProcess> {
  return (await nodeProcesses(owner, 1, config))[0]!;
}

/** Kills every node this process started that still runs (for a `describe`'s `after`). */
export async function killAllNodes(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

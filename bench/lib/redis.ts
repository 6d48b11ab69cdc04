/**
 * The Redis that the two nodes of S1R/S2R share. By default the runner starts its own
 * `redis-server` (no persistence, pinned beside the load generator) so that `INFO commandstats`
 * counts only this bench's commands: other engineers' test suites use the machine's Redis
 * (127.0.0.1:6379) at any moment. `--redis URL` uses an existing Redis instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import { HAS_TASKSET, stopChild } from './proc.js';

export interface BenchRedis {
  url: string;
  /** The server's process, when it runs on this machine (its CPU is read from /proc). */
  pid: number | undefined;
  /** e.g. "Redis 7.0.15 (started by the bench on port 40123, pinned to CPU 1)" */
  description: string;
  /** Deletes every key under `prefix` (what a job's nodes left behind). */
  clean(prefix: string): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** A client that gives up at once instead of queueing commands while disconnected. */
function client(url: string): Redis {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Failures reach the caller through the rejected command; no "unhandled error event" logs.
  r.on('error', () => undefined);
  return r;
}

/** `INFO <section>` as a map of field → value. */
async function info(r: Redis, section: string): Promise<Map<string, string>> {
  const text = await r.info(section);
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const k = line.indexOf(':');
    if (k > 0 && !line.startsWith('#')) out.set(line.slice(0, k), line.slice(k + 1));
  }
  return out;
}

/** Connects to the Redis at `url`: its version and pid, and key clean-up. */
export async function useRedis(
  url: string,
  child?: ChildProcess,
  note = 'given with --redis',
): Promise<BenchRedis> {
  const r = client(url);
  await r.connect();
  const server = await info(r, 'server');
  const version = server.get('redis_version') ?? '?';
  const pid = child?.pid ?? Number(server.get('process_id'));
  let ownPid: number | undefined = pid;
  try {
    // Only a Redis on this machine can be read from /proc (a remote one shows another process).
    if (!readFileSync(`/proc/${pid}/stat`, 'utf8').includes('redis')) ownPid = undefined;
  } catch {
    ownPid = undefined;
  }
  return {
    url,
    pid: ownPid,
    description: `Redis ${version} (${note})`,
    async clean(prefix) {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await r.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    async stop() {
      r.disconnect();
      if (child) await stopChild(child);
    },
  };
}

/** Starts a private `redis-server` (no snapshots, no AOF) pinned to `cpu`, on a free port. */
export async function startRedis(cpu: number): Promise<BenchRedis> {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ];
  const [cmd, argv] = HAS_TASKSET
    ? ['taskset', ['-c', String(cpu), 'redis-server', ...args]]
    : ['redis-server', args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-2000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `redis://127.0.0.1:${port}`;
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  for (let k = 0; ; k++) {
    try {
      const pinned = HAS_TASKSET ? `, pinned to CPU ${cpu}` : '';
      return await Promise.race([
        failed,
        useRedis(url, child, `started by the bench on port ${port}, no persistence${pinned}`),
      ]);
    } catch (err) {
      if (child.exitCode !== null || k === 50) {
        await stopChild(child);
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Counters of a Redis server; differences of two readings make a window's numbers. */
export interface RedisCounters {
  /** PUBLISH + SPUBLISH calls */
  publishes: number;
  /** every command but INFO (these readings' own) */
  commands: number;
  /** calls by command name (`publish`, `hget`, `evalsha`, …), INFO left out */
  byCommand: Map<string, number>;
  /** the server's CPU time (user + system, `INFO cpu`, µs resolution), µs */
  cpuUs: number;
}

/**
 * The commands of the window between readings `a` and `b`, per message: "spublish 1.00,
 * hget 0.14" (most frequent first; those under 0.005 per message left out).
 */
export function commandMix(a: RedisCounters, b: RedisCounters, messages: number): string {
  return [...b.byCommand]
    .map(([name, calls]) => [name, (calls - (a.byCommand.get(name) ?? 0)) / messages] as const)
    .filter(([, perMessage]) => perMessage >= 0.005)
    .sort((x, y) => y[1] - x[1])
    .map(([name, perMessage]) => `${name} ${perMessage.toFixed(2)}`)
    .join(', ');
}

/** Reads a Redis server's command counters (`INFO commandstats`) and CPU (`INFO cpu`). */
export class RedisStats {
  private readonly r: Redis;

  constructor(url: string) {
    this.r = client(url);
  }

  async read(): Promise<RedisCounters> {
    if (this.r.status === 'wait') await this.r.connect();
    const stats = await info(this.r, 'commandstats');
    const cpu = await info(this.r, 'cpu');
    let publishes = 0;
    let commands = 0;
    const byCommand = new Map<string, number>();
    for (const [key, value] of stats) {
      const name = key.replace(/^cmdstat_/, '');
      if (name === 'info') continue;
      const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
      if (name === 'publish' || name === 'spublish') publishes += calls;
      commands += calls;
      byCommand.set(name, calls);
    }
    const seconds =
      Number(cpu.get('used_cpu_user') ?? NaN) + Number(cpu.get('used_cpu_sys') ?? NaN);
    return { publishes, commands, byCommand, cpuUs: seconds * 1e6 };
  }

  close(): void {
    this.r.disconnect();
  }
}

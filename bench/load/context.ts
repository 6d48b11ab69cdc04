/** What a scenario gets from the generator: its job, the server's CPU clock, helpers. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Job, Protocol, ServerCommand } from '../lib/ipc.js';
import { BENCH_APP } from '../lib/ipc.js';
import type { Params } from '../lib/params.js';
import { cpuMicros, cpuTimes, machineBusyMicros } from '../lib/proc.js';
import { RedisStats, type RedisCounters } from '../lib/redis.js';
import { Samples, median } from '../lib/stats.js';
import {
  connectMany,
  eachLimit,
  type BenchClient,
  type ClientEvents,
  type ConnectOptions,
} from './clients.js';
import { makePayload } from './payload.js';

export class Ctx {
  readonly params: Params;
  readonly protocol: Protocol;
  private readonly ownDelay = monitorEventLoopDelay({ resolution: 5 });
  private redisStats: RedisStats | undefined;

  constructor(
    readonly job: Job,
    protocol: Protocol,
    readonly progress: (text: string) => void,
    /** Sends a command to node `node` (0-based) of the server under test. */
    readonly server: (command: ServerCommand, node?: number) => Promise<unknown>,
  ) {
    this.params = job.params;
    this.protocol = protocol;
    this.ownDelay.enable();
  }

  /** How many nodes (processes) the server under test runs as. */
  get nodes(): number {
    return this.job.urls.length;
  }

  /** Starts a new event-loop delay reading, here and on every node. */
  async resetLoopDelay(): Promise<void> {
    for (let k = 0; k < this.nodes; k++) await this.server({ cmd: 'loop-delay' }, k);
    this.ownDelay.reset();
  }

  /** Event-loop delay p99 since `resetLoopDelay`, ms, of the server (its worst node) and of this generator. */
  async loopDelay(): Promise<{ serverLoopP99Ms: number; loadLoopP99Ms: number }> {
    let p99 = 0;
    for (let k = 0; k < this.nodes; k++) {
      const node = (await this.server({ cmd: 'loop-delay' }, k)) as { p99: number };
      p99 = Math.max(p99, node.p99);
    }
    return { serverLoopP99Ms: p99, loadLoopP99Ms: this.ownDelay.percentile(99) / 1e6 };
  }

  /** The server's CPU time so far (every node), µs. */
  cpu(): number {
    let sum = 0;
    for (const pid of this.job.serverPids) sum += cpuMicros(pid);
    return sum;
  }

  options(
    uid: string,
    events: ClientEvents,
    extra: Partial<ConnectOptions> = {},
    node = 0,
  ): ConnectOptions {
    const acks = this.job.server === 'b2a';
    return {
      url: this.job.urls[node]!,
      uid,
      appId: BENCH_APP.appId,
      events,
      ...(acks ? { acks } : {}),
      ...extra,
    };
  }

  /** Direct messages get delivery receipts: Parley's `psend` answers, B2A's acks. */
  get receipts(): boolean {
    return this.protocol === 'parley' || this.job.server === 'b2a';
  }

  /** A reading of the clocks a measurement window needs. */
  snapshot(): Snapshot {
    let user = 0;
    let sys = 0;
    for (const pid of this.job.serverPids) {
      const t = cpuTimes(pid);
      user += t.user;
      sys += t.sys;
    }
    const redisPid = this.job.redis?.pid;
    return {
      t: performance.now(),
      user,
      sys,
      redis: redisPid === undefined ? NaN : cpuMicros(redisPid),
      busy: machineBusyMicros(),
      self: cpuMicros('self'),
    };
  }

  /** The shared Redis's command counters (S1R, S2R); undefined without one. */
  async redisCounters(): Promise<RedisCounters | undefined> {
    if (!this.job.redis) return undefined;
    this.redisStats ??= new RedisStats(this.job.redis.url);
    return this.redisStats.read();
  }

  /** Closes what the context opened (the Redis connection). */
  close(): void {
    this.redisStats?.close();
  }

  /**
   * Opens `n` logged-in clients named `${prefix}${k}`, on node `node` (or `node(k)`) of the
   * server under test.
   */
  async connect(
    n: number,
    prefix: string,
    events: ClientEvents,
    node: number | ((k: number) => number) = 0,
  ): Promise<BenchClient[]> {
    this.progress(`connecting ${n} clients`);
    const nodeOf = typeof node === 'number' ? () => node : node;
    return connectMany(
      this.protocol,
      n,
      this.params.connectConcurrency,
      (k) => this.options(`${prefix}${k}`, events, {}, nodeOf(k)),
      (done) => this.progress(`${done}/${n} connected`),
    );
  }

  /** Opens `n` clients and joins each to `room`; with several nodes, member k is on node k mod nodes. */
  async members(n: number, room: string, events: ClientEvents): Promise<BenchClient[]> {
    const clients = await this.connect(n, 'm', events, (k) => k % this.nodes);
    this.progress(`joining ${n} members to "${room}"`);
    await eachLimit(clients, 50, (c) => c.join(room));
    return clients;
  }

  /** The server's CPU while nothing is sent (heartbeats, sweeps), over `ms`. */
  async idle(ms: number): Promise<Window> {
    this.progress(`idle ${ms} ms`);
    const a = this.snapshot();
    await sleep(ms);
    return windowOf(a, this.snapshot());
  }

  /**
   * Runs `window` with the server's CPU profiler on, when this job asks for a profile (one
   * file per node: `-n1`, `-n2` before the extension when there are several).
   */
  async profiled(window: () => Promise<unknown>): Promise<void> {
    const file = this.job.profileFile;
    if (!file) return;
    this.progress('profiling an extra window');
    for (let k = 0; k < this.nodes; k++) await this.server({ cmd: 'profile-start' }, k);
    await window();
    for (let k = 0; k < this.nodes; k++) {
      const named = this.nodes > 1 ? file.replace(/(\.[^.]+)$/, `-n${k + 1}$1`) : file;
      await this.server({ cmd: 'profile-stop', file: named }, k);
    }
  }
}

export interface Snapshot {
  /** performance.now(), ms */
  t: number;
  /** server CPU so far (every node), µs */
  user: number;
  sys: number;
  /** the shared Redis's CPU so far, µs (NaN: none, or not on this machine) */
  redis: number;
  /** the machine's busy CPU so far (every core), µs */
  busy: number;
  /** this generator's CPU so far, µs */
  self: number;
}

export interface Window {
  ms: number;
  /** server CPU in the window (every node), µs */
  user: number;
  sys: number;
  cpu: number;
  /**
   * the shared Redis's CPU in the window from /proc, µs (NaN: none): in clock ticks, so only
   * to keep it out of other CPU; Redis's own numbers come from `INFO` (redis-window.ts)
   */
  redisCpu: number;
  /** this generator's CPU, % of one core (near 100 = the load side was the limit) */
  loadPct: number;
  /** CPU used by anything but the server and this generator (other work on the machine), % of one core */
  otherPct: number;
}

export function windowOf(a: Snapshot, b: Snapshot): Window {
  const ms = b.t - a.t;
  const user = b.user - a.user;
  const sys = b.sys - a.sys;
  const redisCpu = b.redis - a.redis;
  // The shared Redis is part of the system under test, not other work.
  const other =
    b.busy - a.busy - user - sys - (b.self - a.self) - (Number.isFinite(redisCpu) ? redisCpu : 0);
  return {
    ms,
    user,
    sys,
    cpu: user + sys,
    redisCpu,
    loadPct: (b.self - a.self) / ms / 10,
    otherPct: Math.max(0, other / ms / 10),
  };
}

/** Other work above this share of a core (%) makes a measurement window noise. */
export const NOISY_OTHER_PCT = 25;

/**
 * Whether a sliced measurement has what it needs: `wanted` quiet slices, or twice that many
 * slices in all (then the noisy ones count too).
 */
export function slicesDone(slices: Record<string, number>[], wanted: number): boolean {
  return quiet(slices).length >= wanted || slices.length >= 2 * wanted;
}

/** The slices to report: the quiet ones when there are any, else all; and a note on noise. */
export function keptSlices(slices: Record<string, number>[]): {
  kept: Record<string, number>[];
  notes: string[];
} {
  const q = quiet(slices);
  const noisy = slices.length - q.length;
  if (noisy === 0) return { kept: slices, notes: [] };
  if (q.length === 0)
    return {
      kept: slices,
      notes: [`every window had other work above ${NOISY_OTHER_PCT} % of a core: noise`],
    };
  return {
    kept: q,
    notes: [
      `${noisy} window(s) with other work above ${NOISY_OTHER_PCT} % of a core were measured again`,
    ],
  };
}

function quiet(slices: Record<string, number>[]): Record<string, number>[] {
  return slices.filter((s) => !((s.otherCpuPct ?? 0) > NOISY_OTHER_PCT));
}

/** Each metric's median over the slices of a measurement, plus `<key>Min`/`<key>Max` for `spread` keys. */
export function medianOf(
  slices: Record<string, number>[],
  spread: string[] = [],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(slices[0] ?? {})) {
    const values = slices.map((s) => s[key]!);
    out[key] = median(values);
    if (spread.includes(key)) {
      out[`${key}Min`] = Math.min(...values);
      out[`${key}Max`] = Math.max(...values);
    }
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Publishes numbered payloads to a room and tracks, per publish, how many members got it and
 * when the last one did.
 */
export class Fanout {
  private readonly sentAt: Float64Array;
  private readonly lastAt: Float64Array;
  private readonly count: Uint32Array;
  /** Per-delivery latencies while `recording`. */
  each = new Samples(1 << 16);
  recording = false;
  next = 0;
  /** Called when a publish reached every expected member. */
  onComplete: ((seq: number) => void) | undefined;

  constructor(
    private readonly expected: number,
    private readonly payloadBytes: number,
    private readonly capacity = 1 << 18,
  ) {
    this.sentAt = new Float64Array(capacity);
    this.lastAt = new Float64Array(capacity);
    this.count = new Uint32Array(capacity);
  }

  publish(client: BenchClient, room: string): void {
    const seq = this.next++;
    if (seq >= this.capacity) throw new Error('Fanout: capacity exceeded');
    this.sentAt[seq] = performance.now();
    client.publish(room, makePayload(seq, this.payloadBytes));
  }

  delivered(seq: number, now: number): void {
    if (seq >= this.capacity) return;
    const n = ++this.count[seq]!;
    this.lastAt[seq] = now;
    if (this.recording) this.each.add(now - this.sentAt[seq]!);
    if (n === this.expected) this.onComplete?.(seq);
  }

  complete(from: number, to: number): boolean {
    for (let s = from; s < to; s++) if (this.count[s]! < this.expected) return false;
    return true;
  }

  deliveries(from: number, to: number): number {
    let n = 0;
    for (let s = from; s < to; s++) n += this.count[s]!;
    return n;
  }

  /** Publish → last-recipient latencies of the complete publishes in [from, to), and how many were not complete. */
  lastRecipient(from: number, to: number): { samples: Samples; incomplete: number } {
    const samples = new Samples(Math.max(16, to - from));
    let incomplete = 0;
    for (let s = from; s < to; s++) {
      if (this.count[s]! < this.expected) incomplete++;
      else samples.add(this.lastAt[s]! - this.sentAt[s]!);
    }
    return { samples, incomplete };
  }
}

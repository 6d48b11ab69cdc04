/**
 * S10 SDK receive cost: `receivers` clients of a real client library, all in one Node process
 * of their own (load/receivers.ts, pinned to the load core), joined to one channel; one of this
 * generator's clients publishes `rate` 128-byte messages/s into it, open loop, so that process
 * receives `receivers × rate` messages/s. Reported: that process's CPU per received message
 * (`process.cpuUsage()` there: all its threads, µs resolution), net of its CPU while the same clients sat idle in the channel
 * (heartbeats, sweep timers: the library's idle cost, also reported), median over `slices`.
 *
 * - Parley: Parley's TypeScript SDK (`@parley/sdk`) against Parley.
 * - B2: `socket.io-client` against the Socket.IO server (B2), the same stream.
 */
import { fork } from 'node:child_process';
import type { ScenarioResult } from '../../lib/ipc.js';
import { BENCH_APP } from '../../lib/ipc.js';
import { siblingEntry } from '../../lib/entries.js';
import { cpuTimes, machineBusyMicros } from '../../lib/proc.js';
import { medianOf, sleep, type Ctx } from '../context.js';
import { openLoop } from '../open-loop.js';
import { makePayload } from '../payload.js';
import type { FromReceivers, ReceiverKind, ToReceivers } from '../receivers.js';

const ROOM = 'recv';

type Counts = Extract<FromReceivers, { type: 'counts' }>;

/** The receiving process: started, asked for its counts, stopped. */
class Receivers {
  private readonly child;
  private waiting: ((m: FromReceivers) => void) | undefined;

  constructor() {
    // The generator is pinned to the load core already; a forked child inherits that.
    this.child = fork(siblingEntry('receivers'), [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: FromReceivers) => this.waiting?.(m));
  }

  private ask(m: ToReceivers, timeoutMs: number): Promise<FromReceivers> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receivers: no answer to ${m.type}`)),
        timeoutMs,
      );
      this.waiting = (r) => {
        clearTimeout(timer);
        if (r.type === 'error') reject(new Error(`receivers: ${r.message}`));
        else resolve(r);
      };
      this.child.send(m);
    });
  }

  async start(kind: ReceiverKind, url: string, count: number): Promise<void> {
    await this.ask({ type: 'start', kind, url, appId: BENCH_APP.appId, count, room: ROOM }, 60_000);
  }

  async read(): Promise<Counts> {
    return (await this.ask({ type: 'read' }, 10_000)) as Counts;
  }

  stop(): void {
    this.child.send({ type: 'stop' } satisfies ToReceivers);
    setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
  }
}

interface Reading {
  t: number;
  user: number;
  sys: number;
  server: number;
  busy: number;
  self: number;
  counts: Counts;
}

export async function s10(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s10;
  const kind: ReceiverKind = ctx.protocol === 'parley' ? 'sdk' : 'socketio';
  const receivers = new Receivers();
  try {
    ctx.progress(`${p.receivers} ${kind === 'sdk' ? 'SDK' : 'socket.io-client'} receivers`);
    await receivers.start(kind, ctx.job.urls[0]!, p.receivers);
    const [publisher] = await ctx.connect(1, 'pub', {});
    await publisher!.join(ROOM);
    await sleep(500);

    const read = async (): Promise<Reading> => {
      const counts = await receivers.read();
      const own = cpuTimes('self');
      return {
        t: performance.now(),
        user: counts.userUs,
        sys: counts.sysUs,
        server: ctx.cpu(),
        busy: machineBusyMicros(),
        self: own.user + own.sys,
        counts,
      };
    };
    ctx.progress(`idle ${p.idleMs} ms`);
    const i0 = await read();
    await sleep(p.idleMs);
    const i1 = await read();
    const idleUsPerMs = (i1.user + i1.sys - i0.user - i0.sys) / (i1.t - i0.t);

    let seq = 0;
    ctx.progress(`publishing ${p.rate} messages/s to ${p.receivers} receivers`);
    // Long enough for the warm-up and the slices (each slice also waits for two readings).
    const load = openLoop(p.rate, p.warmupMs + p.slices * p.sliceMs + 1000, () =>
      publisher!.publish(ROOM, makePayload(seq++, ctx.params.payloadBytes)),
    );
    await sleep(p.warmupMs);
    const slices: Record<string, number>[] = [];
    for (let k = 0; k < p.slices; k++) {
      const a = await read();
      await sleep(p.sliceMs);
      const b = await read();
      const ms = b.t - a.t;
      const got = b.counts.received - a.counts.received;
      const cpu = b.user + b.sys - a.user - a.sys;
      const mine = b.user + b.sys + b.self - (a.user + a.sys + a.self);
      slices.push({
        cpuUsPerMessage: (cpu - idleUsPerMs * ms) / got,
        grossCpuUsPerMessage: cpu / got,
        userUsPerMessage: (b.user - a.user) / got,
        sysUsPerMessage: (b.sys - a.sys) / got,
        messagesPerSec: (got / ms) * 1000,
        receiverLoopP99Ms: b.counts.loopP99Ms,
        receiverHeapMiB: b.counts.heapMiB,
        serverCpuUsPerDelivery: (b.server - a.server) / got,
        otherCpuPct: Math.max(0, (b.busy - a.busy - (b.server - a.server) - mine) / ms / 10),
      });
    }
    await load;
    const expected = seq * p.receivers;
    let end = await receivers.read();
    for (let k = 0; k < 20 && end.received - i0.counts.received < expected; k++) {
      await sleep(100);
      end = await receivers.read();
    }
    const metrics = medianOf(slices);
    metrics.idleCpuPct = idleUsPerMs / 10;
    metrics.lost = expected - (end.received - i0.counts.received);
    const notes = [
      `idle: ${p.receivers} clients cost ${((idleUsPerMs * 1000) / p.receivers).toFixed(1)} µs of CPU per client per second`,
    ];
    if (end.foreign > 0) notes.push(`${end.foreign} messages were not bench payloads`);
    return { metrics, notes };
  } finally {
    receivers.stop();
  }
}

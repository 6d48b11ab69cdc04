/**
 * S1 channel fan-out: one channel of `members` clients, one of them publishes 128-byte messages.
 *
 * 1. Open loop at `rate` publishes/s, measured in `slices` windows (each metric is the median
 *    over them, so one disturbed window does not decide): server CPU per delivery net of the
 *    idle CPU measured just before (heartbeats, sweeps), split in user and system time;
 *    deliveries/s; publish → last-recipient p50/p99 and publish → each-recipient p99.
 * 2. Closed loop with `maxInFlight` publishes outstanding: the most deliveries/s this pair of
 *    cores gets through, with the server's CPU share (below 100 % = the generator's core was the
 *    limit, not the server).
 *
 * S1R is step 1 with the server as two nodes sharing a Redis: members alternate between the
 * nodes, the publisher is on the first, so every publish reaches half the members through
 * Redis. Server CPU is the sum of both nodes; Redis's commands (`INFO commandstats`) and CPU
 * are counted over the same windows, net of what they were while idle.
 */
import type { Params } from '../../lib/params.js';
import type { ScenarioResult } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { keptSlices, slicesDone, type Ctx, Fanout, medianOf, sleep, windowOf } from '../context.js';
import { openLoop, until } from '../open-loop.js';
import { mixNote, redisIdle, redisWindow } from '../redis-window.js';

const ROOM = 'bench';

export function s1(ctx: Ctx): Promise<ScenarioResult> {
  return fanout(ctx, ctx.params.s1);
}

export function s1r(ctx: Ctx): Promise<ScenarioResult> {
  return fanout(ctx, ctx.params.s1r);
}

type FanoutParams = Params['s1r'] & Partial<Pick<Params['s1'], 'maxInFlight' | 'maxMs'>>;

async function fanout(ctx: Ctx, p: FanoutParams): Promise<ScenarioResult> {
  const fan = new Fanout(p.members - 1, ctx.params.payloadBytes);
  const clients = await ctx.members(p.members, ROOM, {
    payload: (_c, seq, now) => fan.delivered(seq, now),
  });
  const publisher = clients[0]!;
  const publish = () => fan.publish(publisher, ROOM);
  await sleep(500);

  // With webhooks on: the setup's login notices are delivered before anything is measured.
  await ctx.server({ cmd: 'drain-hooks', notices: p.members });
  ctx.progress(`warm-up ${p.warmupMs} ms`);
  await openLoop(p.rate, p.warmupMs, publish);
  await until(() => fan.complete(0, fan.next), 5000);
  const r0 = await ctx.redisCounters();
  const idle = await ctx.idle(p.idleMs);
  const redisAtIdle = redisIdle(r0, await ctx.redisCounters(), idle);

  ctx.progress(
    `measuring ${p.rate} publishes/s × ${p.members - 1} recipients, ${p.slices} × ${p.sliceMs} ms`,
  );
  const slices: Record<string, number>[] = [];
  let incomplete = 0;
  const mix0 = await ctx.redisCounters();
  let mixMessages = 0;
  while (!slicesDone(slices, p.slices)) {
    const a = fan.next;
    fan.each = new Samples(1 << 16);
    fan.recording = true;
    await ctx.resetLoopDelay();
    const c0 = await ctx.redisCounters();
    const s0 = ctx.snapshot();
    await openLoop(p.rate, p.sliceMs, publish);
    const b = fan.next;
    await until(() => fan.complete(a, b), 5000);
    const w = windowOf(s0, ctx.snapshot());
    const redis = redisWindow(redisAtIdle, c0, await ctx.redisCounters(), w, b - a);
    mixMessages += b - a;
    fan.recording = false;
    const n = fan.deliveries(a, b);
    const last = fan.lastRecipient(a, b);
    incomplete += last.incomplete;
    const [last50, last99] = last.samples.percentiles(50, 99);
    const [each99] = fan.each.percentiles(99);
    slices.push({
      cpuUsPerDelivery: (w.cpu - (idle.cpu / idle.ms) * w.ms) / n,
      userUsPerDelivery: (w.user - (idle.user / idle.ms) * w.ms) / n,
      sysUsPerDelivery: (w.sys - (idle.sys / idle.ms) * w.ms) / n,
      grossCpuUsPerDelivery: w.cpu / n,
      deliveriesPerSec: n / (p.sliceMs / 1000),
      lastP50Ms: last50!,
      lastP99Ms: last99!,
      eachP99Ms: each99!,
      ...redis,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
      ...(await ctx.loopDelay()),
    });
  }

  const { kept, notes } = keptSlices(slices);
  notes.push(...mixNote(mix0, await ctx.redisCounters(), mixMessages));
  const closed =
    p.maxInFlight !== undefined && p.maxMs !== undefined
      ? await closedLoop(ctx, fan, publish, p.maxInFlight, p.maxMs)
      : {};

  await ctx.profiled(async () => {
    await openLoop(p.rate, p.slices * p.sliceMs, publish);
    await until(() => fan.complete(0, fan.next), 5000);
  });

  for (const c of clients) c.close();
  return {
    metrics: {
      ...medianOf(kept, ['cpuUsPerDelivery']),
      idleCpuPct: idle.cpu / idle.ms / 10,
      incomplete,
      ...closed,
    },
    notes: [
      ...notes,
      ...(incomplete > 0 ? [`${incomplete} publishes did not reach every member in time`] : []),
    ],
  };
}

/** Keeps `maxInFlight` publishes outstanding for `maxMs`: the most deliveries/s, and the server's CPU share. */
async function closedLoop(
  ctx: Ctx,
  fan: Fanout,
  publish: () => void,
  maxInFlight: number,
  maxMs: number,
): Promise<Record<string, number>> {
  ctx.progress(`closed loop, ${maxInFlight} publishes in flight, ${maxMs} ms`);
  let stop = false;
  let inFlight = 0;
  fan.onComplete = () => {
    inFlight--;
    if (!stop) {
      inFlight++;
      publish();
    }
  };
  const d0 = fan.deliveries(0, fan.next);
  const m0 = ctx.snapshot();
  for (let k = 0; k < maxInFlight; k++) {
    inFlight++;
    publish();
  }
  await sleep(maxMs);
  const max = windowOf(m0, ctx.snapshot());
  const maxDeliveries = fan.deliveries(0, fan.next) - d0;
  stop = true;
  await until(() => inFlight === 0, 5000);
  fan.onComplete = undefined;
  return {
    maxDeliveriesPerSec: maxDeliveries / (max.ms / 1000),
    maxServerCpuPct: max.cpu / max.ms / 10,
    maxCpuUsPerDelivery: max.cpu / maxDeliveries,
  };
}

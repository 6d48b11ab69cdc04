/**
 * S2 peer relay: `pairs` senders each send to their own receiver; all senders together send
 * `rate` messages/s, open loop, measured in `slices` windows (medians over them). Send → receive
 * latency p50/p99, server CPU per message (net of idle). For Parley the receiver acknowledges
 * (as the SDK does) and the sender's `psend` is answered once the receiver has the message
 * (`hasPeerReceived`): that round trip is reported too; the CPU per message includes all of it.
 *
 * S2R is the same with the server as two nodes sharing a Redis: every sender on the first node,
 * every receiver on the second, so every message (and, for Parley, its receipt) crosses Redis.
 * Server CPU is the sum of both nodes; Redis's commands and CPU are counted as in S1R.
 */
import type { Params } from '../../lib/params.js';
import type { ScenarioResult } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { keptSlices, slicesDone, type Ctx, medianOf, sleep, windowOf } from '../context.js';
import { openLoop, until } from '../open-loop.js';
import { makePayload } from '../payload.js';
import { mixNote, redisIdle, redisWindow } from '../redis-window.js';

export function s2(ctx: Ctx): Promise<ScenarioResult> {
  return relay(ctx, ctx.params.s2);
}

export function s2r(ctx: Ctx): Promise<ScenarioResult> {
  return relay(ctx, ctx.params.s2r);
}

async function relay(ctx: Ctx, p: Params['s2']): Promise<ScenarioResult> {
  // warm-up, up to twice the slices (noisy ones are measured again), the profiled window
  const capacity = Math.ceil((p.rate * (p.warmupMs + 3 * p.slices * p.sliceMs)) / 1000) + 16;
  const sentAt = new Float64Array(capacity);
  let latency = new Samples(1 << 16);
  let receipt = new Samples(1 << 16);
  let from = Infinity;
  let delivered = 0;
  let receipts = 0;
  const events = {
    payload: (_c: unknown, seq: number, now: number) => {
      delivered++;
      if (seq >= from) latency.add(now - sentAt[seq]!);
    },
    receipt: (_c: unknown, seq: number, now: number) => {
      receipts++;
      if (seq >= from) receipt.add(now - sentAt[seq]!);
    },
  };
  const receivers = await ctx.connect(p.pairs, 'r', events, ctx.nodes - 1);
  const senders = await ctx.connect(p.pairs, 's', events, 0);
  const receipted = ctx.receipts;
  let seq = 0;
  const send = (n: number) => {
    const k = n % p.pairs;
    const s = seq++;
    sentAt[s] = performance.now();
    senders[k]!.dm(receivers[k]!.uid, makePayload(s, ctx.params.payloadBytes), s);
  };
  const settled = () => delivered === seq && (!receipted || receipts === seq);
  await sleep(300);

  // With webhooks on: the setup's login notices are delivered before anything is measured.
  await ctx.server({ cmd: 'drain-hooks', notices: 2 * p.pairs });
  ctx.progress(`warm-up ${p.warmupMs} ms`);
  await openLoop(p.rate, p.warmupMs, send);
  await until(settled, 5000);
  const r0 = await ctx.redisCounters();
  const idle = await ctx.idle(p.idleMs);
  const redisAtIdle = redisIdle(r0, await ctx.redisCounters(), idle);

  ctx.progress(
    `measuring ${p.rate} messages/s over ${p.pairs} pairs, ${p.slices} × ${p.sliceMs} ms`,
  );
  const slices: Record<string, number>[] = [];
  let lost = 0;
  const mix0 = await ctx.redisCounters();
  let mixMessages = 0;
  while (!slicesDone(slices, p.slices)) {
    const a = seq;
    const d0 = delivered;
    latency = new Samples(1 << 16);
    receipt = new Samples(1 << 16);
    from = a;
    await ctx.resetLoopDelay();
    const c0 = await ctx.redisCounters();
    const s0 = ctx.snapshot();
    await openLoop(p.rate, p.sliceMs, send);
    await until(settled, 5000);
    const w = windowOf(s0, ctx.snapshot());
    const redis = redisWindow(redisAtIdle, c0, await ctx.redisCounters(), w, seq - a);
    mixMessages += seq - a;
    from = Infinity;
    const n = delivered - d0;
    lost += seq - a - n;
    const [p50, p99] = latency.percentiles(50, 99);
    const [r50, r99] = receipt.percentiles(50, 99);
    slices.push({
      p50Ms: p50!,
      p99Ms: p99!,
      receiptP50Ms: r50!,
      receiptP99Ms: r99!,
      cpuUsPerMessage: (w.cpu - (idle.cpu / idle.ms) * w.ms) / n,
      grossCpuUsPerMessage: w.cpu / n,
      userUsPerMessage: (w.user - (idle.user / idle.ms) * w.ms) / n,
      sysUsPerMessage: (w.sys - (idle.sys / idle.ms) * w.ms) / n,
      messagesPerSec: n / (p.sliceMs / 1000),
      ...redis,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
      ...(await ctx.loopDelay()),
    });
  }

  const { kept, notes } = keptSlices(slices);
  notes.push(...mixNote(mix0, await ctx.redisCounters(), mixMessages));

  await ctx.profiled(async () => {
    await openLoop(p.rate, p.slices * p.sliceMs, send);
    await until(settled, 5000);
  });

  for (const c of [...receivers, ...senders]) c.close();
  return {
    metrics: { ...medianOf(kept, ['p99Ms']), idleCpuPct: idle.cpu / idle.ms / 10, lost },
    notes: [...notes, ...(lost > 0 ? [`${lost} messages not delivered in time`] : [])],
  };
}

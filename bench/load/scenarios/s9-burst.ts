/**
 * S9 channel fan-out burst: one channel of `members` clients, `publishers` of them publish at
 * once, each one 128-byte message every `intervalMs` for `messages` messages (a burst), so every
 * `intervalMs` the server fans `publishers` messages out to `members - 1` members each (none is
 * echoed to its sender). Each of `slices` windows is one burst plus the wait for its last
 * delivery; each metric is the median over the windows: server CPU per delivery net of idle
 * (user and system apart), publish → last-recipient p50/p99, publish → each-recipient p99.
 */
import type { ScenarioResult } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { keptSlices, slicesDone, type Ctx, Fanout, medianOf, sleep, windowOf } from '../context.js';
import { until } from '../open-loop.js';

const ROOM = 'burst';

export async function s9(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s9;
  const fan = new Fanout(p.members - 1, ctx.params.payloadBytes);
  const clients = await ctx.members(p.members, ROOM, {
    payload: (_c, seq, now) => fan.delivered(seq, now),
  });
  const publishers = clients.slice(0, p.publishers);
  await sleep(500);

  /** One burst: every publisher sends one message per interval, `messages` times. */
  const burst = async (): Promise<void> => {
    const t0 = performance.now();
    for (let k = 0; k < p.messages; k++) {
      for (const c of publishers) fan.publish(c, ROOM);
      const due = t0 + (k + 1) * p.intervalMs;
      await sleep(Math.max(0, due - performance.now()));
    }
  };

  ctx.progress(`warm-up: ${p.warmupBursts} bursts`);
  for (let k = 0; k < p.warmupBursts; k++) await burst();
  await until(() => fan.complete(0, fan.next), 5000);
  const idle = await ctx.idle(p.idleMs);

  ctx.progress(
    `measuring ${p.publishers} publishers × ${p.messages} messages every ${p.intervalMs} ms × ${p.members - 1} recipients`,
  );
  const slices: Record<string, number>[] = [];
  let incomplete = 0;
  while (!slicesDone(slices, p.slices)) {
    const a = fan.next;
    fan.each = new Samples(1 << 18);
    fan.recording = true;
    await ctx.resetLoopDelay();
    const s0 = ctx.snapshot();
    await burst();
    const b = fan.next;
    await until(() => fan.complete(a, b), 5000);
    const w = windowOf(s0, ctx.snapshot());
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
      deliveriesPerSec: n / (w.ms / 1000),
      lastP50Ms: last50!,
      lastP99Ms: last99!,
      eachP99Ms: each99!,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
      ...(await ctx.loopDelay()),
    });
    await sleep(p.gapMs);
  }
  const { kept, notes } = keptSlices(slices);

  await ctx.profiled(async () => {
    for (let k = 0; k < p.slices; k++) await burst();
    await until(() => fan.complete(0, fan.next), 5000);
  });

  for (const c of clients) c.close();
  return {
    metrics: { ...medianOf(kept, ['cpuUsPerDelivery']), incomplete },
    notes: [
      ...notes,
      ...(incomplete > 0 ? [`${incomplete} publishes did not reach every member in time`] : []),
    ],
  };
}

/**
 * S3 presence churn: a channel of `members`; `churners` of them leave while as many other
 * connected clients join, alternately, at `rate` events/s (the channel stays at `members`).
 * Server CPU per join/leave (net of idle), member-event frames delivered per join/leave, and
 * the join / leave reply latency. Parley follows RTM: above 512 members it sends no
 * MemberJoined/MemberLeft, only MemberCountUpdated every 3 s; the baselines broadcast every
 * join and leave to the room, as chat servers do.
 */
import type { ScenarioResult } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { type BenchClient, connectMany, received } from '../clients.js';
import { type Ctx, sleep, windowOf } from '../context.js';
import { openLoop, until } from '../open-loop.js';

const ROOM = 'churn';

export async function s3(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s3;
  const members = await ctx.members(p.members, ROOM, {});
  const outside = await connectMany(ctx.protocol, p.churners, ctx.params.connectConcurrency, (k) =>
    ctx.options(`out${k}`, {}),
  );
  const inQ: BenchClient[] = members.slice(p.members - p.churners);
  const outQ: BenchClient[] = [...outside];
  const joinLat = new Samples();
  const leaveLat = new Samples();
  let recording = false;
  let started = 0;
  let finished = 0;
  let errors = 0;
  let lastError = '';
  const event = (n: number) => {
    const leaving = n % 2 === 0;
    const c = leaving ? inQ.shift() : outQ.shift();
    if (!c) return;
    started++;
    const t0 = performance.now();
    const rec = recording;
    (leaving ? c.leave(ROOM) : c.join(ROOM)).then(
      () => {
        finished++;
        if (rec) (leaving ? leaveLat : joinLat).add(performance.now() - t0);
        (leaving ? outQ : inQ).push(c);
      },
      (err: unknown) => {
        finished++;
        errors++;
        lastError = String(err);
        (leaving ? inQ : outQ).push(c);
      },
    );
  };
  await sleep(1000);

  ctx.progress(`warm-up ${p.warmupMs} ms`);
  await openLoop(p.rate, p.warmupMs, event);
  await until(() => finished === started, 5000);
  await sleep(300);
  const idleW = await ctx.idle(p.idleMs);
  const idle = idleW.cpu / idleW.ms;

  ctx.progress(`measuring ${p.rate} joins+leaves/s for ${p.measureMs} ms`);
  recording = true;
  const started0 = started;
  const e0 = errors;
  const pushes0 = received.pushes;
  const s0 = ctx.snapshot();
  await openLoop(p.rate, p.measureMs, event);
  await until(() => finished === started, 5000);
  await sleep(200);
  const w = windowOf(s0, ctx.snapshot());
  recording = false;
  const events = started - started0;
  const pushes = received.pushes - pushes0;
  const net = w.cpu - idle * w.ms;
  const [j50, j99] = joinLat.percentiles(50, 99);
  const [, l99] = leaveLat.percentiles(50, 99);

  await ctx.profiled(() => openLoop(p.rate, p.measureMs, event));

  for (const c of [...members, ...outside]) c.close();
  return {
    metrics: {
      cpuUsPerEvent: net / events,
      deliveriesPerEvent: pushes / events,
      joinP50Ms: j50!,
      joinP99Ms: j99!,
      leaveP99Ms: l99!,
      eventsPerSec: events / (p.measureMs / 1000),
      errors: errors - e0,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
    },
    notes: errors > e0 ? [`${errors - e0} joins/leaves failed, e.g. ${lastError}`] : [],
  };
}

/**
 * S6 logins per second: `logins` new sockets, `concurrency` at a time, each counted when the
 * server accepted it. Parley runs a certified app (PARLEY_APPS=appId:cert): every login carries
 * an AccessToken2 (`buildRtmToken007`, built before the clock starts) that the server verifies.
 * The bare `ws` server counts completed upgrades; Socket.IO counts namespace connects.
 */
import { buildRtmToken007 } from '@parley/token';
import type { ScenarioResult } from '../../lib/ipc.js';
import { BENCH_APP } from '../../lib/ipc.js';
import { type BenchClient, connectMany } from '../clients.js';
import { NOISY_OTHER_PCT, type Ctx, type Window, sleep, windowOf } from '../context.js';

export async function s6(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s6;
  // warm-up, up to two measured batches (a noisy one is measured again), the profiled batch
  const total = p.warmupLogins + p.logins * 3;
  const tokens: string[] = [];
  if (ctx.protocol === 'parley') {
    ctx.progress(`building ${total} tokens`);
    for (let k = 0; k < total; k++)
      tokens.push(buildRtmToken007(BENCH_APP.appId, BENCH_APP.appCertificate, `login${k}`, 3600));
  }
  const open = (offset: number, n: number) =>
    connectMany(ctx.protocol, n, p.concurrency, (k) =>
      ctx.options(
        `login${offset + k}`,
        {},
        {
          noLogin: ctx.protocol === 'socketio',
          ...(tokens.length ? { token: tokens[offset + k]! } : {}),
        },
      ),
    );
  ctx.progress(`warm-up: ${p.warmupLogins} logins`);
  // Closed again: the warm-up's clients would ping through the measured batches (Parley's
  // every 2.5 s; bare ws clients never ping), a cost of keeping clients, not of logging in.
  for (const c of await open(0, p.warmupLogins)) c.close();
  await sleep(500);
  const batches: { clients: BenchClient[]; w: Window }[] = [];
  let offset = p.warmupLogins;
  do {
    ctx.progress(`measuring ${p.logins} logins, ${p.concurrency} at a time`);
    const s0 = ctx.snapshot();
    const clients = await open(offset, p.logins);
    batches.push({ clients, w: windowOf(s0, ctx.snapshot()) });
    offset += p.logins;
  } while (batches.length < 2 && batches[batches.length - 1]!.w.otherPct > NOISY_OTHER_PCT);
  const { w } = batches.reduce((a, b) => (b.w.otherPct < a.w.otherPct ? b : a));
  const clients = batches.flatMap((b) => b.clients);

  let profiled: BenchClient[] = [];
  await ctx.profiled(async () => {
    profiled = await open(offset, p.logins);
  });
  for (const c of [...clients, ...profiled]) c.close();
  return {
    metrics: {
      perSec: p.logins / (w.ms / 1000),
      cpuUsPerLogin: w.cpu / p.logins,
      serverCpuPct: w.cpu / w.ms / 10,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
    },
    notes:
      batches.length > 1
        ? [`the first batch had other work above ${NOISY_OTHER_PCT} % of a core: measured again`]
        : [],
  };
}

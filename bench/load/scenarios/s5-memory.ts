/**
 * S5 memory per idle connection: the server's heap and RSS (after full GCs) with half of
 * `connections` clients connected (and, for Parley, logged in; for Socket.IO, joined the default
 * namespace) and with all of them; the difference divided by the second half's count. A slope,
 * so what a server allocates once (code compiled during the first logins, caches, pools) is not
 * counted per connection; the same from zero (before any client) is reported beside it.
 * Clients keep their heartbeats while idle.
 */
import type { MemorySample, ScenarioResult } from '../../lib/ipc.js';
import { connectMany } from '../clients.js';
import { type Ctx, sleep } from '../context.js';

export async function s5(ctx: Ctx): Promise<ScenarioResult> {
  const n = ctx.params.s5.connections;
  await sleep(500);
  const before = (await ctx.server({ cmd: 'mem' })) as MemorySample;
  const half = Math.floor(n / 2);
  const connect = (from: number, count: number) =>
    connectMany(
      ctx.protocol,
      count,
      ctx.params.connectConcurrency,
      (k) => ctx.options(`idle${from + k}`, {}, { noLogin: ctx.protocol === 'socketio' }),
      (done) => ctx.progress(`${from + done}/${n} connected`),
    );
  ctx.progress(`connecting ${n} idle clients (memory read at ${half} and ${n})`);
  const clients = await connect(0, half);
  await sleep(1500);
  const mid = (await ctx.server({ cmd: 'mem' })) as MemorySample;
  clients.push(...(await connect(half, n - half)));
  await sleep(1500);
  const after = (await ctx.server({ cmd: 'mem' })) as MemorySample;
  if (ctx.job.heapSnapshotFile) {
    ctx.progress('writing a heap snapshot');
    await ctx.server({ cmd: 'heap-snapshot', file: ctx.job.heapSnapshotFile });
  }
  for (const c of clients) c.close();
  const per = (k: keyof MemorySample) => (after[k] - mid[k]) / (n - half);
  const fromZero = (k: keyof MemorySample) => (after[k] - before[k]) / n;
  return {
    metrics: {
      connections: n,
      jsPerConnB: per('heapUsed') + per('external'),
      jsPerConnFromZeroB: fromZero('heapUsed') + fromZero('external'),
      heapPerConnB: per('heapUsed'),
      externalPerConnB: per('external'),
      rssPerConnB: per('rss'),
      heapUsedMiB: after.heapUsed / 2 ** 20,
      rssMiB: after.rss / 2 ** 20,
    },
    notes: [],
  };
}

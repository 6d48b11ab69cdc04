/**
 * S5 memory per idle connection: the server's heap and RSS (after full GCs) before and after
 * `connections` clients connected (and, for Parley, logged in; for Socket.IO, joined the default
 * namespace), divided by the count. Clients keep their heartbeats while idle.
 */
import type { MemorySample, ScenarioResult } from '../../lib/ipc.js';
import { connectMany } from '../clients.js';
import { type Ctx, sleep } from '../context.js';

export async function s5(ctx: Ctx): Promise<ScenarioResult> {
  const n = ctx.params.s5.connections;
  await sleep(500);
  const before = (await ctx.server({ cmd: 'mem' })) as MemorySample;
  ctx.progress(`connecting ${n} idle clients`);
  const clients = await connectMany(
    ctx.protocol,
    n,
    ctx.params.connectConcurrency,
    (k) => ctx.options(`idle${k}`, {}, { noLogin: ctx.protocol === 'socketio' }),
    (done) => ctx.progress(`${done}/${n} connected`),
  );
  await sleep(1500);
  const after = (await ctx.server({ cmd: 'mem' })) as MemorySample;
  if (ctx.job.heapSnapshotFile) {
    ctx.progress('writing a heap snapshot');
    await ctx.server({ cmd: 'heap-snapshot', file: ctx.job.heapSnapshotFile });
  }
  for (const c of clients) c.close();
  const per = (k: keyof MemorySample) => (after[k] - before[k]) / n;
  return {
    metrics: {
      connections: n,
      jsPerConnB: per('heapUsed') + per('external'),
      heapPerConnB: per('heapUsed'),
      externalPerConnB: per('external'),
      rssPerConnB: per('rss'),
      heapUsedMiB: after.heapUsed / 2 ** 20,
      rssMiB: after.rss / 2 ** 20,
    },
    notes: [],
  };
}

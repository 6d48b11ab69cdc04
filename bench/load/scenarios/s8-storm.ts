/**
 * S8 reconnect storm: `clients` logged-in clients in `channels` channels (round robin); the
 * server is restarted (SIGTERM, then started again on the same port, by the runner) and every
 * client reconnects with its own client library's default backoff, logs in again and joins
 * its channel again. Reported: time from the SIGTERM until 99 % (and 100 %) of the clients
 * are back (logged in, channel joined), the time from the SIGTERM until the new server listened, and the new server's CPU
 * until 99 % were back.
 *
 * - Parley: the SDK's backoff (full jitter: uniform in [0, min(4 s, 300 ms · 2^attempt)]);
 *   the bench server drains on SIGTERM as the CLI does (`bye`, close 1001).
 * - Socket.IO: socket.io-client's defaults (1 s · 2^attempt, ± 50 % jitter, at most 5 s);
 *   its server has no drain, so its clients see the TCP close.
 */
import type WebSocket from 'ws';
import type { ScenarioResult } from '../../lib/ipc.js';
import { cpuMicros } from '../../lib/proc.js';
import { type BenchClient, connect, connectMany, eachLimit } from '../clients.js';
import { type Ctx, sleep } from '../context.js';
import { until } from '../open-loop.js';

/** @parley/sdk: full jitter up to min(reconnectMaxDelayMs, reconnectBaseDelayMs · 2^attempt). */
function parleyDelay(attempt: number): number {
  return Math.random() * Math.min(4000, 300 * 2 ** Math.min(attempt, 16));
}

/** socket.io-client's Backoff with its defaults (min 1 s, max 5 s, factor 2, jitter 0.5). */
function socketIoDelay(attempt: number): number {
  let ms = 1000 * 2 ** attempt;
  const rand = Math.random();
  const deviation = Math.floor(rand * 0.5 * ms);
  ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  return Math.min(ms, 5000) | 0;
}

export async function s8(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s8;
  const delay = ctx.protocol === 'parley' ? parleyDelay : socketIoDelay;
  const room = (k: number) => `storm${k % p.channels}`;
  const uid = (k: number) => `storm${k}`;
  const clients = await connectMany(ctx.protocol, p.clients, ctx.params.connectConcurrency, (k) =>
    ctx.options(uid(k), {}),
  );
  ctx.progress(`joining ${p.clients} clients to ${p.channels} channels`);
  await eachLimit(
    clients.map((c, k) => ({ c, k })),
    50,
    ({ c, k }) => c.join(room(k)),
  );
  await sleep(1000);

  const backAt = new Float64Array(p.clients);
  let back = 0;
  let attempts = 0;
  let failures = 0;
  let t0 = 0;
  const socketOf = (c: BenchClient) => (c as unknown as { ws: WebSocket }).ws;
  const reconnect = async (k: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      await sleep(delay(attempt));
      attempts++;
      try {
        const c = await connect(ctx.protocol, ctx.options(uid(k), {}));
        await c.join(room(k));
        clients[k] = c;
        backAt[k] = performance.now() - t0;
        back++;
        return;
      } catch {
        failures++; // the server is not back yet (refused), or dropped us meanwhile
      }
    }
  };
  clients.forEach((c, k) => socketOf(c).once('close', () => void reconnect(k)));

  ctx.progress(`restarting the server (SIGTERM) under ${p.clients} clients`);
  t0 = performance.now();
  const { pid, downMs } = (await ctx.server({ cmd: 'restart' })) as { pid: number; downMs: number };
  ctx.job.serverPids[0] = pid;
  const cpu0 = cpuMicros(pid);
  const need99 = Math.ceil(p.clients * 0.99);
  await until(() => back >= need99, p.maxMs);
  const t99 = performance.now() - t0;
  const cpu99 = cpuMicros(pid) - cpu0;
  await until(() => back >= p.clients, 5000);
  const times = Array.from(backAt).filter((t) => t > 0);
  times.sort((a, b) => a - b);
  ctx.progress(`${back}/${p.clients} back; 99 % after ${t99.toFixed(0)} ms`);
  for (const c of clients) c.close();
  return {
    metrics: {
      back99Ms: back >= need99 ? t99 : NaN,
      back100Ms: back >= p.clients ? times[times.length - 1]! : NaN,
      back50Ms: times[Math.floor(times.length / 2)] ?? NaN,
      downMs,
      serverCpuMsTo99: cpu99 / 1000,
      attemptsPerClient: attempts / p.clients,
      failedAttempts: failures,
      notBack: p.clients - back,
    },
    notes:
      back < p.clients
        ? [`${p.clients - back} clients were not back ${p.maxMs / 1000} s after`]
        : [],
  };
}

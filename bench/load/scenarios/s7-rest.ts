/**
 * S7 REST peer messages: an application backend sends Parley peer messages through Agora's
 * RESTful endpoint (`POST …/users/{user_id}/peer_messages`, Basic auth) over `concurrency`
 * keep-alive HTTP connections, each sending its next message as soon as the last is answered
 * (closed loop), to `receivers` logged-in clients that acknowledge as the SDK does. Reported:
 * messages per second, call → answer p50/p99 (`message_sent`: routed to the receiver), send →
 * receive p99, and server CPU per message.
 */
import http from 'node:http';
import type { ScenarioResult } from '../../lib/ipc.js';
import { BENCH_APP } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { type Ctx, sleep, windowOf } from '../context.js';
import { until } from '../open-loop.js';
import { makePayload } from '../payload.js';

export async function s7(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s7;
  if (ctx.protocol !== 'parley' || !ctx.job.restKey)
    return { metrics: {}, notes: ['n/a (Parley only: the REST API)'] };
  const url = new URL(ctx.job.urls[0]!.replace(/^ws/, 'http'));
  const auth = 'Basic ' + Buffer.from(ctx.job.restKey).toString('base64');
  const agent = new http.Agent({ keepAlive: true, maxSockets: p.concurrency });
  const sentAt = new Map<number, number>();
  let delivery = new Samples(1 << 16);
  let delivered = 0;
  let measuring = false;
  const receivers = await ctx.connect(
    p.receivers,
    'rx',
    {
      payload: (_c: unknown, seq: number, now: number) => {
        delivered++;
        const t = sentAt.get(seq);
        sentAt.delete(seq);
        if (measuring && t !== undefined) delivery.add(now - t);
      },
    },
    0,
  );
  const post = (seq: number): Promise<number> => {
    const to = receivers[seq % receivers.length]!.uid;
    const body = JSON.stringify({
      destination: to,
      payload: makePayload(seq, ctx.params.payloadBytes),
    });
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/dev/v2/project/${BENCH_APP.appId}/rtm/users/backend/peer_messages`,
          agent,
          headers: {
            authorization: auth,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  let seq = 0;
  let failed = 0;
  let answer = new Samples(1 << 16);
  /** Runs the closed loop for `ms`; answers the messages answered 200 in it. */
  const loop = async (ms: number): Promise<number> => {
    const end = performance.now() + ms;
    let ok = 0;
    await Promise.all(
      Array.from({ length: p.concurrency }, async () => {
        while (performance.now() < end) {
          const s = seq++;
          const t = performance.now();
          sentAt.set(s, t);
          const status = await post(s);
          if (status === 200) {
            ok++;
            if (measuring) answer.add(performance.now() - t);
          } else failed++;
        }
      }),
    );
    return ok;
  };

  await sleep(300);
  ctx.progress(`warm-up ${p.warmupMs} ms`);
  await loop(p.warmupMs);
  await until(() => delivered + failed >= seq, 5000);
  const idle = await ctx.idle(1000);
  ctx.progress(`measuring ${p.concurrency} connections, closed loop, ${p.measureMs} ms`);
  answer = new Samples(1 << 16);
  delivery = new Samples(1 << 16);
  measuring = true;
  await ctx.resetLoopDelay();
  const d0 = delivered;
  const s0 = ctx.snapshot();
  const sent = await loop(p.measureMs);
  const w = windowOf(s0, ctx.snapshot());
  await until(() => delivered + failed >= seq, 5000);
  measuring = false;
  const n = delivered - d0;
  const [a50, a99] = answer.percentiles(50, 99);
  const [, d99] = delivery.percentiles(50, 99);
  const loop99 = await ctx.loopDelay();
  await ctx.profiled(() => loop(p.measureMs));
  agent.destroy();
  for (const c of receivers) c.close();
  return {
    metrics: {
      messagesPerSec: sent / (w.ms / 1000),
      answerP50Ms: a50!,
      answerP99Ms: a99!,
      deliveryP99Ms: d99!,
      cpuUsPerMessage: (w.cpu - (idle.cpu / idle.ms) * w.ms) / Math.max(1, sent),
      lost: sent - n,
      failed,
      loadCpuPct: w.loadPct,
      otherCpuPct: w.otherPct,
      ...loop99,
    },
    notes: failed > 0 ? [`${failed} calls not answered 200`] : [],
  };
}

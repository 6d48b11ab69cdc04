/**
 * S8R reconnect storm on two nodes sharing a Redis: `clients` clients of each server's real
 * client library, client k starting on node k mod 2 and knowing both, in `channels` channels
 * (round robin, so every channel has members on both nodes). The runner SIGKILLs node A (the
 * first): no drain, the kernel closes its sockets. Reported: time from the SIGKILL until 99 %
 * (50 %, 100 %) of A's clients are connected to B with their channel back, B's CPU over that
 * time, and whether B's own clients stayed connected.
 *
 * - Parley: `@parley/sdk` with `serverUrl: [own node, other node]` and its defaults; the SDK
 *   moves to the next URL on every retry (full jitter in [0, min(4 s, 300 ms · 2^attempt)]),
 *   resumes its session (B asks A for it; with A dead, B starts a fresh one and the SDK joins
 *   its channels again). A client is back once CONNECTED and its channel's first
 *   `MemberCountUpdated` after that arrived: the server sends it right behind the answer to a
 *   join (and behind a resumed session's replay), so nothing is asked beyond what the SDK does.
 * - Socket.IO (B2R, `@socket.io/redis-adapter`): `socket.io-client` with its defaults
 *   (1 s · 2^attempt ± 50 %, at most 5 s), the Manager's URL switched to the other node on
 *   every `reconnect_attempt` (socket.io-client takes one URL; its Manager opens `uri` afresh
 *   each attempt). Back once reconnected and `hello` and `join` are acknowledged.
 */
import AgoraRTM, { type RtmClient } from '@parley/sdk';
import { io, type Socket } from 'socket.io-client';
import type { ScenarioResult } from '../../lib/ipc.js';
import { BENCH_APP } from '../../lib/ipc.js';
import { cpuMicros, machineBusyMicros } from '../../lib/proc.js';
import { eachLimit } from '../clients.js';
import { type Ctx, sleep } from '../context.js';
import { until } from '../open-loop.js';

/** What the storm needs of a client, whichever library it runs. */
interface Member {
  /** Resolves once logged in and joined. */
  ready: Promise<void>;
  /** Called once the client is back (connected, channel joined) after the kill. */
  onBack: (() => void) | undefined;
  /** Called when the client loses its connection after the kill. */
  onDrop: (() => void) | undefined;
  /** Reconnect attempts (socket.io-client's `reconnect_attempt`; the SDK does not show its own). */
  attempts: number;
}

function parleyMember(urls: string[], uid: string, room: string): Member {
  const client: RtmClient = AgoraRTM.createInstance(BENCH_APP.appId, { serverUrl: urls });
  const channel = client.createChannel(room);
  const m: Member = {
    ready: client.login({ uid }).then(() => channel.join()),
    onBack: undefined,
    onDrop: undefined,
    attempts: 0,
  };
  let reconnected = false;
  client.on('ConnectionStateChanged', (state) => {
    if (state === 'RECONNECTING') m.onDrop?.();
    else if (state === 'CONNECTED' && m.onBack) reconnected = true;
  });
  // The server tells the count right behind a join's answer (and behind a resume's replay):
  // the first one after the reconnect says the session on B has its channel.
  channel.on('MemberCountUpdated', () => {
    if (reconnected) m.onBack?.();
  });
  return m;
}

function socketIoMember(urls: string[], uid: string, room: string): Member {
  const socket: Socket = io(urls[0]!, { transports: ['websocket'], forceNew: true });
  const m: Member = {
    ready: new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        void socket
          .emitWithAck('hello', uid)
          .then(() => socket.emitWithAck('join', room))
          .then(() => resolve(), reject);
      });
    }),
    onBack: undefined,
    onDrop: undefined,
    attempts: 0,
  };
  socket.io.on('reconnect_attempt', (attempt) => {
    m.attempts++;
    (socket.io as unknown as { uri: string }).uri = urls[attempt % urls.length]!;
  });
  socket.on('disconnect', () => m.onDrop?.());
  socket.on('connect', () => {
    if (!m.onBack) return;
    void socket
      .emitWithAck('hello', uid)
      .then(() => socket.emitWithAck('join', room))
      .then(() => m.onBack?.());
  });
  return m;
}

export async function s8r(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s8r;
  const urls = ctx.job.urls;
  const parley = ctx.protocol === 'parley';
  ctx.progress(`${p.clients} ${parley ? 'SDK' : 'socket.io-client'} clients on both nodes`);
  const members: Member[] = [];
  let done = 0;
  await eachLimit(
    Array.from({ length: p.clients }, (_, k) => k),
    50,
    async (k) => {
      const start = k % 2;
      const list = [urls[start]!, urls[1 - start]!];
      const room = `kill${k % p.channels}`;
      const m = parley
        ? parleyMember(list, `kill${k}`, room)
        : socketIoMember(list, `kill${k}`, room);
      members[k] = m;
      await m.ready;
      if (++done % 500 === 0) ctx.progress(`${done}/${p.clients} joined`);
    },
  );
  await sleep(1000);

  const onA = members.filter((_, k) => k % 2 === 0);
  const onB = members.filter((_, k) => k % 2 === 1);
  const backAt: number[] = [];
  let droppedOnB = 0;
  let t0 = 0;
  for (const m of onA)
    m.onBack = () => {
      m.onBack = undefined;
      backAt.push(performance.now() - t0);
    };
  for (const m of onB)
    m.onDrop = () => {
      m.onDrop = undefined;
      droppedOnB++;
    };
  const attempts0 = onA.reduce((n, m) => n + m.attempts, 0);

  const pidB = ctx.job.serverPids[1]!;
  ctx.progress(`SIGKILL node A under ${onA.length} of its clients`);
  const redisPid = ctx.job.redis?.pid;
  const redisCpu = () => (redisPid === undefined ? 0 : cpuMicros(redisPid));
  const cpuB0 = cpuMicros(pidB);
  const redis0 = redisCpu();
  const self0 = cpuMicros('self');
  const busy0 = machineBusyMicros();
  t0 = performance.now();
  const { exitMs } = (await ctx.server({ cmd: 'kill' }, 0)) as { exitMs: number };
  const need99 = Math.ceil(onA.length * 0.99);
  await until(() => backAt.length >= need99, p.maxMs);
  const t99 = performance.now() - t0;
  const cpuB = cpuMicros(pidB) - cpuB0;
  const self = cpuMicros('self') - self0;
  // Redis is part of the system under test, not other work.
  const other = machineBusyMicros() - busy0 - cpuB - self - (redisCpu() - redis0);
  await until(() => backAt.length >= onA.length, 5000);
  const times = [...backAt].sort((a, b) => a - b);
  ctx.progress(`${times.length}/${onA.length} back on B; 99 % after ${t99.toFixed(0)} ms`);
  const notBack = onA.length - times.length;
  return {
    metrics: {
      clientsOnA: onA.length,
      back99Ms: times.length >= need99 ? t99 : NaN,
      back50Ms: times[Math.floor(onA.length / 2)] ?? NaN,
      back100Ms: notBack === 0 ? times[times.length - 1]! : NaN,
      exitMs,
      serverCpuMsTo99: cpuB / 1000,
      attemptsPerClient: parley
        ? NaN
        : (onA.reduce((n, m) => n + m.attempts, 0) - attempts0) / onA.length,
      notBack,
      droppedOnB,
      loadCpuPct: self / t99 / 10,
      otherCpuPct: Math.max(0, other / t99 / 10),
    },
    notes: [
      ...(notBack > 0
        ? [`${notBack} of A's clients were not back on B ${p.maxMs / 1000} s after`]
        : []),
      ...(parley ? ['attempts per client: n/a (the SDK does not show its retries)'] : []),
    ],
  };
}

/**
 * S10's receiving process: `count` clients of one real client library, all in this process,
 * joined to one channel, counting the channel messages they get. The scenario (in the load
 * generator, which also publishes) reads this process's CPU from /proc, so what it measures
 * is the library's cost of receiving, and its cost while idle.
 *
 * - `sdk`: Parley's TypeScript SDK (`@parley/sdk`, Node entry: the `ws` transport), with its
 *   defaults: `createInstance`, `login`, `createChannel(room).join()`, `ChannelMessage`.
 * - `socketio`: `socket.io-client` 4.8 on the websocket transport (`transports: ['websocket']`,
 *   as the bench's B2 clients), one Manager per client (`forceNew`), `hello` and `join` with
 *   acks, `on('msg')`.
 *
 * Each handler does the same: count the message and check that it is a bench payload.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import AgoraRTM from '@parley/sdk';
import { io } from 'socket.io-client';
import { eachLimit } from './clients.js';

export type ReceiverKind = 'sdk' | 'socketio';

export type ToReceivers =
  | { type: 'start'; kind: ReceiverKind; url: string; appId: string; count: number; room: string }
  /** Answered with `counts`; also starts a new event-loop delay reading. */
  | { type: 'read' }
  | { type: 'stop' };

export type FromReceivers =
  | { type: 'ready' }
  | {
      type: 'counts';
      received: number;
      foreign: number;
      loopP99Ms: number;
      heapMiB: number;
      /** This process's CPU so far (`process.cpuUsage()`: every thread, µs resolution). */
      userUs: number;
      sysUs: number;
    }
  | { type: 'error'; message: string };

const send = (m: FromReceivers) => process.send?.(m);
const delay = monitorEventLoopDelay({ resolution: 5 });
let received = 0;
/** Messages that were not bench payloads (there should be none). */
let foreign = 0;
let stop: () => Promise<void> = () => Promise.resolve();

function onMessage(text: unknown): void {
  if (typeof text === 'string' && text.charCodeAt(0) === 0x7e /* ~ */) received++;
  else foreign++;
}

async function startSdk(o: Extract<ToReceivers, { type: 'start' }>): Promise<void> {
  const clients = Array.from({ length: o.count }, () =>
    AgoraRTM.createInstance(o.appId, { serverUrl: o.url }),
  );
  await eachLimit(
    clients.map((c, k) => ({ c, k })),
    20,
    async ({ c, k }) => {
      await c.login({ uid: `recv${k}` });
      const channel = c.createChannel(o.room);
      channel.on('ChannelMessage', (message) => onMessage(message.text));
      await channel.join();
    },
  );
  stop = async () => {
    await Promise.allSettled(clients.map((c) => c.logout()));
  };
}

async function startSocketIo(o: Extract<ToReceivers, { type: 'start' }>): Promise<void> {
  const sockets = Array.from({ length: o.count }, () =>
    io(o.url, { transports: ['websocket'], forceNew: true }),
  );
  await eachLimit(
    sockets.map((s, k) => ({ s, k })),
    20,
    async ({ s, k }) => {
      s.on('msg', (m: { d?: unknown }) => onMessage(m.d));
      await s.emitWithAck('hello', `recv${k}`);
      await s.emitWithAck('join', o.room);
    },
  );
  stop = () => {
    for (const s of sockets) s.disconnect();
    return Promise.resolve();
  };
}

process.on('message', (m: ToReceivers) => {
  if (m.type === 'start') {
    (m.kind === 'sdk' ? startSdk(m) : startSocketIo(m)).then(
      () => {
        delay.enable();
        send({ type: 'ready' });
      },
      (err: unknown) =>
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  } else if (m.type === 'read') {
    const loopP99Ms = delay.percentile(99) / 1e6;
    delay.reset();
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    const cpu = process.cpuUsage();
    send({
      type: 'counts',
      received,
      foreign,
      loopP99Ms,
      heapMiB,
      userUs: cpu.user,
      sysUs: cpu.system,
    });
  } else void stop().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

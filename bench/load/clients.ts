/**
 * Load-generator clients that speak each server's wire directly over `ws`, so the generator
 * stays cheaper than the servers it drives (the SDK parses every frame into objects and
 * events; here a bench payload is found with a byte scan and only replies are JSON-parsed).
 *
 * - `parley`: `parley.v1` (login, join, csend, psend, ack of reliable pushes in a microtask as
 *   the SDK does, a ping every heartbeat as the SDK does).
 * - `json`: the B0/B1 wire (see servers/json-protocol.ts).
 * - `socketio`: Engine.IO 4 / Socket.IO 5 packets on the websocket transport (`40` connect,
 *   `42` events, `43` acks, `2`→`3` heartbeats), what socket.io-client sends.
 * - `bare`: opens the socket and nothing else.
 */
import WebSocket from 'ws';
import type { Protocol } from '../lib/ipc.js';
import { payloadSeq } from './payload.js';

export interface ClientEvents {
  /** A frame with a bench payload arrived at `client`. */
  payload?(client: BenchClient, seq: number, now: number): void;
  /** Parley only: the sender's `psend` was answered (`hasPeerReceived`). */
  receipt?(client: BenchClient, seq: number, now: number): void;
}

/** Frames received by every client of this process, by kind. */
export const received = { payloads: 0, replies: 0, pushes: 0 };

export interface BenchClient {
  readonly uid: string;
  join(room: string): Promise<void>;
  leave(room: string): Promise<void>;
  publish(room: string, payload: string): void;
  /** A direct message; `seq` names it for the receipt (Parley). */
  dm(to: string, payload: string, seq: number): void;
  close(): void;
}

export interface ConnectOptions {
  url: string;
  uid: string;
  appId: string;
  token?: string;
  events: ClientEvents;
  /** Skip the login / hello step (S5/S6 measure it separately where it applies). */
  noLogin?: boolean;
}

const TIMEOUT_MS = 20_000;
const WS_OPTIONS = { perMessageDeflate: false } as const;

type Reply = (f: { t: string; c?: number; m?: string; r?: unknown }) => void;

/** Opens a socket and logs in as `uid`; resolves when the server accepted the login. */
export function connect(protocol: Protocol, o: ConnectOptions): Promise<BenchClient> {
  switch (protocol) {
    case 'parley':
      return ParleyClient.open(o);
    case 'json':
      return JsonClient.open(o);
    case 'socketio':
      return SocketIoClient.open(o);
    case 'bare':
      return BareClient.open(o);
  }
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('connect timed out'));
    }, TIMEOUT_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

abstract class RequestClient {
  protected readonly pending = new Map<number, Reply>();
  protected nextId = 1;

  constructor(
    readonly ws: WebSocket,
    readonly uid: string,
    protected readonly events: ClientEvents,
  ) {
    ws.on('error', () => undefined);
  }

  protected await(id: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${what}: no reply in ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.pending.set(id, (f) => {
        clearTimeout(timer);
        if (f.t === 'err') reject(new Error(`${what}: error ${f.c}: ${f.m}`));
        else resolve();
      });
    });
  }

  protected settle(id: number, f: Parameters<Reply>[0]): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    received.replies++;
    p(f);
  }

  close(): void {
    this.ws.terminate();
  }
}

// ---------- parley.v1 ----------

const parleyClients = new Set<ParleyClient>();
let pingTimer: NodeJS.Timeout | undefined;
const HEARTBEAT_MS = 2500;

/** One sweep pings every Parley client once per heartbeat, like each SDK's own sweep. */
function pingSweep(): void {
  const now = Date.now();
  for (const c of parleyClients) {
    if (now - c.lastPingMs >= HEARTBEAT_MS && c.ws.readyState === 1) {
      c.lastPingMs = now;
      c.ws.send('{"t":"ping"}');
    }
  }
}

/**
 * A `psend`'s request id is this plus the bench sequence of its message, so its receipt names
 * the message without a Map per client: one `set` and one `delete` per message kept garbage
 * alive through every scavenge of the generator (as P14 found in the server), and its pauses
 * (4–14 ms every ~180 ms in S2) were in the latencies measured.
 */
const RECEIPT_BASE = 2 ** 30;
/** `{"t":"ok","i":` — the start of a request's success answer. */
const OK_PREFIX = Buffer.from('{"t":"ok","i":');

class ParleyClient extends RequestClient implements BenchClient {
  lastPingMs = Date.now() - Math.random() * HEARTBEAT_MS;
  private lastSeq = 0;
  private ackScheduled = false;

  /**
   * Logs in during the upgrade (`parley.v1.early-login`: the login frame in the URL, answered
   * right behind the 101) where the server offers it; else (an older server picked
   * `parley.v1`) with a login frame after the upgrade.
   */
  static async open(o: ConnectOptions): Promise<BenchClient> {
    const i = 1;
    const login = JSON.stringify({
      t: 'login',
      i,
      a: o.appId,
      u: o.uid,
      ...(o.token ? { k: o.token } : {}),
    });
    // base64url needs no escaping in a query: appended, not through a URL object per login.
    const url = o.noLogin
      ? o.url
      : `${o.url}${o.url.includes('?') ? '&' : '?'}login=${Buffer.from(login).toString('base64url')}`;
    const protocols = o.noLogin ? ['parley.v1'] : ['parley.v1.early-login', 'parley.v1'];
    const ws = new WebSocket(url, protocols, WS_OPTIONS);
    const c = new ParleyClient(ws, o.uid, o.events);
    c.nextId = i + 1;
    // Waiting before the socket opens: the reply may come right behind the 101.
    const reply = o.noLogin ? undefined : c.await(i, `login ${o.uid}`);
    reply?.catch(() => undefined);
    ws.on('message', (data: Buffer) => c.onFrame(data));
    ws.on('close', () => parleyClients.delete(c));
    await opened(ws);
    if (!reply) return c;
    if (ws.protocol !== 'parley.v1.early-login') ws.send(login);
    await reply;
    parleyClients.add(c);
    pingTimer ??= setInterval(pingSweep, 250);
    return c;
  }

  private onFrame(data: Buffer): void {
    const seq = payloadSeq(data);
    if (seq >= 0) {
      received.payloads++;
      this.events.payload?.(this, seq, performance.now());
      // A peer message is a reliable push: acknowledge its session sequence `s` (last field).
      if (data[6] === 0x6d && data[7] === 0x73 && data[8] === 0x67) {
        const k = data.lastIndexOf(',"s":');
        let s = 0;
        for (let p = k + 5; p < data.length && data[p]! >= 48 && data[p]! <= 57; p++)
          s = s * 10 + data[p]! - 48;
        this.scheduleAck(s);
      }
      return;
    }
    // {"t":"pong",…}: one per heartbeat of every client, nothing to read in it.
    if (data[6] === 0x70 && data[7] === 0x6f && data[8] === 0x6e && data[9] === 0x67) return;
    // A psend's receipt (`ok` with an id from RECEIPT_BASE): its id read by a byte scan.
    if (data.compare(OK_PREFIX, 0, OK_PREFIX.length, 0, OK_PREFIX.length) === 0) {
      let i = 0;
      for (let p = OK_PREFIX.length; p < data.length && data[p]! >= 48 && data[p]! <= 57; p++)
        i = i * 10 + data[p]! - 48;
      if (i >= RECEIPT_BASE) {
        received.replies++;
        this.events.receipt?.(this, i - RECEIPT_BASE, performance.now());
        return;
      }
    }
    const f = JSON.parse(data.toString()) as { t: string; i?: number; s?: number };
    if ((f.t === 'ok' || f.t === 'err') && f.i !== undefined) {
      if (f.i >= RECEIPT_BASE) {
        received.replies++;
        this.events.receipt?.(this, f.i - RECEIPT_BASE, performance.now());
      } else this.settle(f.i, f as Parameters<Reply>[0]);
      return;
    }
    if (f.t === 'pong') return;
    received.pushes++;
    if (typeof f.s === 'number') this.scheduleAck(f.s);
  }

  private scheduleAck(s: number): void {
    if (s > this.lastSeq) this.lastSeq = s;
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      if (this.ws.readyState === 1) this.ws.send(`{"t":"ack","s":${this.lastSeq}}`);
    });
  }

  join(room: string): Promise<void> {
    const i = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'join', i, c: room }));
    return this.await(i, `join ${this.uid}`);
  }

  leave(room: string): Promise<void> {
    const i = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'leave', i, c: room }));
    return this.await(i, `leave ${this.uid}`);
  }

  publish(room: string, payload: string): void {
    // The reply (`ok` with the server time) is not awaited: open-loop publishing.
    const i = this.nextId++;
    this.pending.set(i, () => undefined);
    this.ws.send(
      `{"t":"csend","i":${i},"c":${JSON.stringify(room)},"m":{"k":"T","x":"${payload}"}}`,
    );
  }

  dm(to: string, payload: string, seq: number): void {
    const i = RECEIPT_BASE + seq;
    this.ws.send(
      `{"t":"psend","i":${i},"to":${JSON.stringify(to)},"m":{"k":"T","x":"${payload}"}}`,
    );
  }

  override close(): void {
    parleyClients.delete(this);
    if (parleyClients.size === 0 && pingTimer) {
      clearInterval(pingTimer);
      pingTimer = undefined;
    }
    super.close();
  }
}

// ---------- B0 / B1 JSON ----------

class JsonClient extends RequestClient implements BenchClient {
  static async open(o: ConnectOptions): Promise<BenchClient> {
    const ws = new WebSocket(o.url, WS_OPTIONS);
    const c = new JsonClient(ws, o.uid, o.events);
    ws.on('message', (data: Buffer) => c.onFrame(data));
    await opened(ws);
    if (o.noLogin) return c;
    const i = c.nextId++;
    ws.send(JSON.stringify({ t: 'hello', i, u: o.uid }));
    await c.await(i, `hello ${o.uid}`);
    return c;
  }

  private onFrame(data: Buffer): void {
    const seq = payloadSeq(data);
    if (seq >= 0) {
      received.payloads++;
      this.events.payload?.(this, seq, performance.now());
      return;
    }
    const f = JSON.parse(data.toString()) as { t: string; i?: number };
    if (f.t === 'ok' && f.i !== undefined) this.settle(f.i, f);
    else received.pushes++;
  }

  join(room: string): Promise<void> {
    const i = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'join', i, r: room }));
    return this.await(i, `join ${this.uid}`);
  }

  leave(room: string): Promise<void> {
    const i = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'leave', i, r: room }));
    return this.await(i, `leave ${this.uid}`);
  }

  publish(room: string, payload: string): void {
    this.ws.send(`{"t":"pub","r":${JSON.stringify(room)},"d":"${payload}"}`);
  }

  dm(to: string, payload: string): void {
    this.ws.send(`{"t":"dm","to":${JSON.stringify(to)},"d":"${payload}"}`);
  }
}

// ---------- Socket.IO ----------

class SocketIoClient extends RequestClient implements BenchClient {
  private connected: (() => void) | undefined;

  static async open(o: ConnectOptions): Promise<BenchClient> {
    const ws = new WebSocket(`${o.url}/socket.io/?EIO=4&transport=websocket`, WS_OPTIONS);
    const c = new SocketIoClient(ws, o.uid, o.events);
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket.io connect timed out')), TIMEOUT_MS);
      c.connected = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    ws.on('message', (data: Buffer) => c.onFrame(data));
    await opened(ws);
    await connected;
    if (o.noLogin) return c;
    await c.emitWithAck('hello', o.uid);
    return c;
  }

  private onFrame(data: Buffer): void {
    const seq = payloadSeq(data);
    if (seq >= 0) {
      received.payloads++;
      this.events.payload?.(this, seq, performance.now());
      return;
    }
    const type = data[0];
    if (type === 0x32 /* 2: ping */) {
      this.ws.send('3');
      return;
    }
    if (type === 0x30 /* 0: open */) {
      this.ws.send('40');
      return;
    }
    if (type !== 0x34 /* 4: message */) return;
    const packet = data[1];
    if (packet === 0x30 /* 0: connect */) {
      this.connected?.();
      this.connected = undefined;
    } else if (packet === 0x33 /* 3: ack */) {
      let id = 0;
      for (let p = 2; p < data.length && data[p]! >= 48 && data[p]! <= 57; p++)
        id = id * 10 + data[p]! - 48;
      this.settle(id, { t: 'ok' });
    } else received.pushes++;
  }

  private emitWithAck(event: string, ...args: string[]): Promise<void> {
    const i = this.nextId++;
    this.ws.send(`42${i}${JSON.stringify([event, ...args])}`);
    return this.await(i, `${event} ${this.uid}`);
  }

  join(room: string): Promise<void> {
    return this.emitWithAck('join', room);
  }

  leave(room: string): Promise<void> {
    return this.emitWithAck('leave', room);
  }

  publish(room: string, payload: string): void {
    this.ws.send(`42["pub",${JSON.stringify(room)},"${payload}"]`);
  }

  dm(to: string, payload: string): void {
    this.ws.send(`42["dm",${JSON.stringify(to)},"${payload}"]`);
  }
}

// ---------- bare ----------

class BareClient extends RequestClient implements BenchClient {
  static async open(o: ConnectOptions): Promise<BenchClient> {
    const ws = new WebSocket(o.url, WS_OPTIONS);
    await opened(ws);
    return new BareClient(ws, o.uid, o.events);
  }

  join(): Promise<void> {
    return Promise.reject(new Error('a bare ws server has no rooms'));
  }

  leave(): Promise<void> {
    return this.join();
  }

  publish(): void {}

  dm(): void {}
}

/**
 * Opens `n` clients, `concurrency` at a time; `progress` hears the count now and then.
 * Rejects on the first failure.
 */
export async function connectMany(
  protocol: Protocol,
  n: number,
  concurrency: number,
  options: (k: number) => ConnectOptions,
  progress?: (done: number) => void,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = new Array<BenchClient>(n);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < n) {
      const k = next++;
      clients[k] = await connect(protocol, options(k));
      if (++done % 1000 === 0) progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return clients;
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function eachLimit<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

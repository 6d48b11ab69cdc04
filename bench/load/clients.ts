/**
 * Load-generator clients that speak each server's wire directly over `ws`, so the generator
 * stays cheaper than the servers it drives (the SDK parses every frame into objects and
 * events; here a bench payload is found with a byte scan and only replies are JSON-parsed).
 *
 * - `parley`: `parley.v1` (parley-client.ts).
 * - `json`: the B0/B1 wire (see servers/json-protocol.ts).
 * - `socketio`: Engine.IO 4 / Socket.IO 5 packets on the websocket transport (`40` connect,
 *   `42` events, `43` acks, `2`→`3` heartbeats), what socket.io-client sends.
 * - `bare`: opens the socket and nothing else.
 */
import WebSocket from 'ws';
import type { Protocol } from '../lib/ipc.js';
import {
  type BenchClient,
  type ConnectOptions,
  digitsAt,
  opened,
  RECEIPT_BASE,
  received,
  RequestClient,
  TIMEOUT_MS,
  WS_OPTIONS,
} from './client-base.js';
import { ParleyClient } from './parley-client.js';

export {
  received,
  type BenchClient,
  type ClientEvents,
  type ConnectOptions,
} from './client-base.js';

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

// ---------- B0 / B1 JSON ----------

class JsonClient extends RequestClient implements BenchClient {
  static async open(o: ConnectOptions): Promise<BenchClient> {
    const ws = new WebSocket(o.url, WS_OPTIONS);
    const c = new JsonClient(ws, o.uid, o.events);
    ws.on('message', (data: Buffer) => c.onFrame(data));
    await opened(ws);
    if (o.noLogin) return c;
    await c.ask({ t: 'hello', u: o.uid });
    return c;
  }

  private onFrame(data: Buffer): void {
    if (this.payload(data)) {
      return;
    }
    const f = JSON.parse(data.toString()) as { t: string; i?: number };
    if (f.t === 'ok' && f.i !== undefined) this.settle(f.i, f);
    else received.pushes++;
  }

  join(room: string): Promise<void> {
    return this.ask({ t: 'join', r: room });
  }

  leave(room: string): Promise<void> {
    return this.ask({ t: 'leave', r: room });
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
  private acks = false;

  static async open(o: ConnectOptions): Promise<BenchClient> {
    const ws = new WebSocket(`${o.url}/socket.io/?EIO=4&transport=websocket`, WS_OPTIONS);
    const c = new SocketIoClient(ws, o.uid, o.events);
    c.acks = o.acks === true;
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
    if (this.payload(data)) {
      // `42<id>[…]`: an event the server wants acknowledged (B2A), as socket.io-client does.
      if (data[2]! >= 48 && data[2]! <= 57) this.ws.send(`43${digitsAt(data, 2)}[]`);
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
      const id = digitsAt(data, 2);
      if (!this.receipted(id)) this.settle(id, { t: 'ok' });
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

  dm(to: string, payload: string, seq: number): void {
    const id = this.acks ? RECEIPT_BASE + seq : '';
    this.ws.send(`42${id}["dm",${JSON.stringify(to)},"${payload}"]`);
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

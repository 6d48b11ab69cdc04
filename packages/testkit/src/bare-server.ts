/**
 * A bare parley.v1 server on a real socket, for what a real server never does: stall a
 * request, never answer a login, stop answering pings, refuse connections, send a frame of the
 * wrong shape. It answers what it is told to and records every frame it receives.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  decodeFrame,
  encodeFrame,
  SUBPROTOCOL,
  type RawFrame,
  type ServerFrame,
} from '@parley/protocol';

export interface BareServerOptions {
  /** Answer `login` with `ok` (default true). */
  answerLogin?: boolean;
  /** Answer `ping` with `pong` (default true). */
  answerPing?: boolean;
  /** Heartbeat interval the login reply announces (default 2500 ms). */
  heartbeatMs?: number;
  /** Requests to answer `ok`, by type, with the result the function makes (others stall). */
  answers?: Readonly<Record<string, (f: RawFrame) => unknown>>;
}

export class BareServer {
  readonly received: RawFrame[] = [];
  /** Every socket that connected, in order. */
  readonly sockets: WebSocket[] = [];
  /** When set, each new socket is passed here first (e.g. to terminate it). */
  onConnection: ((ws: WebSocket) => void) | undefined;
  private sessions = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: Required<BareServerOptions>,
  ) {
    wss.on('connection', (ws) => {
      this.sockets.push(ws);
      ws.on('message', (data) => this.onMessage(ws, String(data)));
      this.onConnection?.(ws);
    });
  }

  static async start(options: BareServerOptions = {}): Promise<BareServer> {
    const wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new BareServer(wss, {
      answerLogin: true,
      answerPing: true,
      heartbeatMs: 2500,
      answers: {},
      ...options,
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Frames of type `t` received so far. */
  frames(t: string): RawFrame[] {
    return this.received.filter((f) => f.t === t);
  }

  /** Sends a frame (or raw text) on the latest socket. */
  send(frame: ServerFrame | string): void {
    const ws = this.sockets.at(-1);
    if (!ws) throw new Error('BareServer.send: no socket');
    ws.send(typeof frame === 'string' ? frame : encodeFrame(frame));
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(ws: WebSocket, text: string): void {
    const f = decodeFrame(text);
    if (!f) return;
    this.received.push(f);
    const i = f.i as number;
    if (f.t === 'login' && this.options.answerLogin) {
      const resumed = f.r !== undefined;
      if (!resumed) this.sessions++;
      const r = {
        sid: `bare-${this.sessions}`,
        resumed,
        ts: 0,
        exp: 0,
        hb: this.options.heartbeatMs,
      };
      ws.send(encodeFrame({ t: 'ok', i, r }));
    } else if (f.t === 'logout') {
      ws.send(encodeFrame({ t: 'ok', i }));
      ws.close();
    } else if (f.t === 'ping' && this.options.answerPing) {
      ws.send(encodeFrame({ t: 'pong', ts: 0 }));
    } else if (Object.hasOwn(this.options.answers, f.t)) {
      const r = this.options.answers[f.t]!(f);
      ws.send(encodeFrame(r === undefined ? { t: 'ok', i } : { t: 'ok', i, r }));
    }
  }
}

/** Test helpers: a real server on port 0, SDK clients, raw sockets, a TCP proxy that can cut. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import AgoraRTM, { type RtmClient, type RtmConfig } from '@parley/sdk';
import { SUBPROTOCOL } from '@parley/protocol';
import {
  startServer,
  type RunningServer,
  type ServerConfig,
  type ServerDeps,
} from '../src/index.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
}

export async function testServer(
  overrides: Partial<ServerConfig> & ServerDeps = {},
): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDir(),
    logLevel: 'silent',
    ...overrides,
  });
}

export const APP = 'test_app';

/** An SDK client of `server`: a running server, a URL, or a list of URLs tried in order. */
export function client(
  server: { url: string } | string | string[],
  config: RtmConfig = {},
  appId = APP,
): RtmClient {
  const serverUrl = typeof server === 'string' || Array.isArray(server) ? server : server.url;
  return AgoraRTM.createInstance(appId, {
    serverUrl,
    reconnectBaseDelayMs: 50,
    reconnectMaxDelayMs: 300,
    ...config,
  });
}

/** Records a client's ConnectionStateChanged events as "STATE/REASON". */
export function recordStates(c: RtmClient): string[] {
  const seen: string[] = [];
  c.on('ConnectionStateChanged', (s, r) => seen.push(`${s}/${r}`));
  return seen;
}

export async function loggedIn(
  server: { url: string } | string,
  uid: string,
  config: RtmConfig = {},
): Promise<RtmClient> {
  const c = client(server, config);
  await c.login({ uid });
  return c;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `cond()` holds, polling; rejects after `timeoutMs` with `what`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves once `cond()` resolves true, polling; rejects after `timeoutMs` with `what`. */
export async function untilTrue(
  cond: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A raw protocol socket for frames the SDK would never send. */
export class RawSocket {
  readonly frames: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static async open(url: string, protocol = SUBPROTOCOL): Promise<RawSocket> {
    const ws = new WebSocket(url, protocol);
    const raw = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', () => resolve());
    });
    return raw;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a request and waits for the reply with its id. */
  async request(frame: Record<string, unknown>): Promise<Record<string, unknown>> {
    const i = frame.i as number;
    this.send(frame);
    await until(
      () => this.frames.some((f) => f.i === i) || this.closed !== undefined,
      `reply to ${String(frame.t)}`,
    );
    const reply = this.frames.find((f) => f.i === i);
    if (!reply) throw new Error(`socket closed: ${JSON.stringify(this.closed)}`);
    return reply;
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    await until(() => this.closed !== undefined, 'socket close');
    return this.closed!;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A TCP proxy in front of the server; `cut()` drops every connection and refuses new ones. */
export class CutProxy {
  private readonly sockets = new Set<net.Socket>();
  private blocked = false;
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(targetPort: number): Promise<CutProxy> {
    const state = { proxy: undefined as unknown as CutProxy };
    const server = net.createServer((inbound) => {
      const proxy = state.proxy;
      if (proxy.blocked) {
        inbound.destroy();
        return;
      }
      const outbound = net.connect(targetPort, '127.0.0.1');
      proxy.sockets.add(inbound).add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const done = () => {
        inbound.destroy();
        outbound.destroy();
        proxy.sockets.delete(inbound);
        proxy.sockets.delete(outbound);
      };
      inbound.on('error', done).on('close', done);
      outbound.on('error', done).on('close', done);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    state.proxy = new CutProxy(server, (server.address() as net.AddressInfo).port);
    return state.proxy;
  }

  cut(): void {
    this.blocked = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.blocked = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** A raw protocol socket for frames the SDK would never send, and for reading every reply. */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '@parley/protocol';

export type Frame = Record<string, unknown>;

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class RawSocket {
  /** Every frame received, in order. */
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Waits are woken by each arrival (no polling: a fuzz run waits ten thousand times). */
  private readonly waiters = new Set<Waiter>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(JSON.parse(d.toString()) as Frame);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
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

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves once `ready()` holds (checked now and on every frame and on close). */
  waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${what}; got ${this.describe()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** The frames whose `i` is `id` (replies to one request). */
  repliesTo(id: unknown): Frame[] {
    return this.frames.filter((f) => f.i === id);
  }

  /** Sends a request and waits for the reply with its id; rejects if the socket closes first. */
  async request(frame: Frame, timeoutMs?: number): Promise<Frame> {
    const i = frame.i;
    this.send(frame);
    await this.waitFor(
      () => this.frames.some((f) => f.i === i) || this.closed !== undefined,
      `reply to ${String(frame.t)}`,
      timeoutMs,
    );
    const reply = this.frames.find((f) => f.i === i);
    if (!reply) throw new Error(`socket closed: ${JSON.stringify(this.closed)}`);
    return reply;
  }

  async waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    await this.waitFor(() => this.closed !== undefined, 'socket close', timeoutMs);
    return this.closed!;
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    for (const w of this.waiters) {
      if (!w.ready()) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private describe(): string {
    const last = this.frames.slice(-5).map((f) => JSON.stringify(f).slice(0, 120));
    return `${this.frames.length} frames (last: ${last.join(' ')}), closed ${JSON.stringify(this.closed)}`;
  }
}

/**
 * What every load-generator client shares (see clients.ts): the interfaces the scenarios use,
 * the frame counters, and the request/reply bookkeeping of each wire's client.
 */
import type WebSocket from 'ws';
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
  /** Socket.IO (B2A): direct messages with acks end to end, their receipts reported. */
  acks?: boolean;
}

/**
 * A direct message's request id (Parley's `psend`, B2A's ack id) is this plus the bench
 * sequence of its message, so its receipt names the message without a Map per client: one
 * `set` and one `delete` per message kept garbage alive through every scavenge of the
 * generator (as P14 found in the server), and its pauses (4–14 ms every ~180 ms in S2) were in
 * the latencies measured.
 */
export const RECEIPT_BASE = 2 ** 30;

/** The decimal digits of `data` from `from` on, as a number (0 if there are none). */
export function digitsAt(data: Buffer, from: number): number {
  let n = 0;
  for (let p = from; p < data.length && data[p]! >= 48 && data[p]! <= 57; p++)
    n = n * 10 + data[p]! - 48;
  return n;
}

export const TIMEOUT_MS = 20_000;
export const WS_OPTIONS = { perMessageDeflate: false } as const;

export type Reply = (f: { t: string; c?: number; m?: string; r?: unknown }) => void;

export function opened(ws: WebSocket): Promise<void> {
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

export abstract class RequestClient implements BenchClient {
  abstract join(room: string): Promise<void>;
  abstract leave(room: string): Promise<void>;
  abstract publish(room: string, payload: string): void;
  abstract dm(to: string, payload: string, seq: number): void;

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

  /** A frame carrying a bench payload is counted and heard; answers whether `data` was one. */
  protected payload(data: Buffer): boolean {
    const seq = payloadSeq(data);
    if (seq < 0) return false;
    received.payloads++;
    this.events.payload?.(this, seq, performance.now());
    return true;
  }

  /** Sends request `frame` with the next id; resolves on its `ok`, rejects on `err` or silence. */
  protected ask(frame: { t: string } & Record<string, unknown>): Promise<void> {
    const i = this.nextId++;
    this.ws.send(JSON.stringify({ ...frame, i }));
    return this.await(i, `${frame.t} ${this.uid}`);
  }

  /**
   * Request `i` answered: if it was a direct message (an id from RECEIPT_BASE), its receipt.
   * Answers which.
   */
  protected receipted(i: number): boolean {
    if (i < RECEIPT_BASE) return false;
    received.replies++;
    this.events.receipt?.(this, i - RECEIPT_BASE, performance.now());
    return true;
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

/**
 * Write batching: the first frame written to a socket in an event-loop turn corks it, and one
 * setImmediate uncorks every corked socket, so the frames of one turn leave in one writev
 * instead of one syscall each (the "tuned ws" trick; S1 in bench/ measures it).
 *
 * With a write delay (`PARLEY_WRITE_DELAY_MS`, Centrifugo's `write_delay`), a corked socket
 * stays corked that long, so frames of several turns — e.g. several publishes to a busy
 * channel — share one syscall: less CPU per delivery for up to that much more latency.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * The TCP socket under a `ws` WebSocket: `ws` keeps it as `_socket` (set by `setSocket`, in every
 * `ws` release since 1.x). Read from there rather than kept in a map: a WeakMap entry per
 * connection costs ≈ 26 bytes (bench S5).
 */
const socketOf = (ws: WebSocket): Duplex | undefined =>
  (ws as unknown as { _socket?: Duplex })._socket;
/** Set on a socket only when its server has a write delay: no cost per socket otherwise. */
const DELAY = Symbol('parley.writeDelayMs');
type DelayedSocket = Duplex & { [DELAY]?: number };

const corked: Duplex[] = [];
let scheduled = false;
/** Sockets waiting for their delayed flush, by delay. */
const delayed = new Map<number, Duplex[]>();

/** Sets the write delay of a WebSocket's TCP socket (from the HTTP upgrade), if any. */
export function setWriteDelay(socket: Duplex, writeDelayMs = 0): void {
  if (writeDelayMs > 0) (socket as DelayedSocket)[DELAY] = writeDelayMs;
}

/** Corks `ws`'s socket until the end of this event-loop turn, or its write delay (once). */
export function corkTurn(ws: WebSocket): void {
  const socket = socketOf(ws) as DelayedSocket | undefined;
  if (!socket || socket.writableCorked > 0) return;
  socket.cork();
  const delay = socket[DELAY];
  if (delay === undefined) {
    corked.push(socket);
    if (!scheduled) {
      scheduled = true;
      setImmediate(uncorkAll);
    }
    return;
  }
  let waiting = delayed.get(delay);
  if (!waiting) {
    waiting = [];
    delayed.set(delay, waiting);
    setTimeout(() => {
      delayed.delete(delay);
      uncork(waiting!);
    }, delay).unref();
  }
  waiting.push(socket);
}

function uncorkAll(): void {
  scheduled = false;
  uncork(corked.splice(0));
}

function uncork(list: Duplex[]): void {
  for (const socket of list) if (socket.writableCorked > 0) socket.uncork();
}

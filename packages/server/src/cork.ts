/**
 * Write batching: the first frame written to a socket in an event-loop turn corks it, and one
 * setImmediate uncorks every corked socket, so the frames of one turn leave in one writev
 * instead of one syscall each (the "tuned ws" trick; S1 in bench/ measures it).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

const sockets = new WeakMap<WebSocket, Duplex>();
const corked: Duplex[] = [];
let scheduled = false;

/** Remembers the TCP socket under a WebSocket (from the HTTP upgrade). */
export function registerSocket(ws: WebSocket, socket: Duplex): void {
  sockets.set(ws, socket);
}

/** Corks `ws`'s socket until the end of this event-loop turn (once per turn). */
export function corkTurn(ws: WebSocket): void {
  const socket = sockets.get(ws);
  if (!socket || socket.writableCorked > 0) return;
  socket.cork();
  corked.push(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}

function uncorkAll(): void {
  scheduled = false;
  const list = corked.splice(0);
  for (const socket of list) if (socket.writableCorked > 0) socket.uncork();
}

/**
 * B2, Socket.IO 4.8 with its defaults (in-memory adapter, `ws` engine, no compression). Clients
 * connect straight to the websocket transport. Rooms are Socket.IO rooms; a publish is
 * `socket.to(room).emit(…)` (encoded once per broadcast by the adapter), a direct message
 * `socket.emit(…)` on the receiver's socket.
 *
 * B2R (`--redis URL --redis-prefix P`): the same server as one node of several, with
 * `@socket.io/redis-adapter` (`createAdapter` on two ioredis connections, channels under P).
 * The adapter PUBLISHes every broadcast once; every node receives it (pattern subscription)
 * and delivers to its own members. A direct message to a user held by another node goes to the
 * user's room (`u:<uid>`, joined at hello), the usual way to reach a user across nodes.
 *
 * B2A (`--acks`): a direct message sent with an ack callback is emitted to its receiver with
 * one too (`socket.timeout(…).emit(…, cb)`), and the sender's ack fires (`true`) when the
 * receiver's client acknowledged it: a delivery receipt, as Parley's `hasPeerReceived`.
 */
import http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { arg, serveControl } from './control.js';

const server = http.createServer();
const io = new Server(server);
const users = new Map<string, Socket>();
const redisUrl = arg('--redis');
const acks = process.argv.includes('--acks');
const ACK_TIMEOUT_MS = 10_000;

if (redisUrl) {
  // Imported here, so that B2 runs exactly the modules it ran before B2R existed.
  const { createAdapter } = await import('@socket.io/redis-adapter');
  const { Redis } = await import('ioredis');
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  await Promise.all([pub.ping(), sub.ping()]);
  io.adapter(createAdapter(pub, sub, { key: `${arg('--redis-prefix') ?? ''}socket.io` }));
}

io.on('connection', (socket) => {
  let uid = '';
  socket.on('hello', (u: string, ack: () => void) => {
    uid = u;
    users.set(u, socket);
    if (redisUrl) void socket.join(`u:${u}`);
    ack();
  });
  socket.on('join', (r: string, ack: () => void) => {
    void socket.join(r);
    socket.to(r).emit('joined', { r, u: uid });
    ack();
  });
  socket.on('leave', (r: string, ack: () => void) => {
    void socket.leave(r);
    socket.to(r).emit('left', { r, u: uid });
    ack();
  });
  socket.on('pub', (r: string, d: string) => {
    socket.to(r).emit('msg', { r, f: uid, d, ts: Date.now() });
  });
  socket.on('dm', (to: string, d: string, ack?: (received: boolean) => void) => {
    const local = users.get(to);
    if (acks && ack) {
      if (local)
        local
          .timeout(ACK_TIMEOUT_MS)
          .emit('dm', { f: uid, d, ts: Date.now() }, (err: unknown) => ack(!err));
      else ack(false);
      return;
    }
    if (local) local.emit('dm', { f: uid, d, ts: Date.now() });
    else if (redisUrl) io.to(`u:${to}`).emit('dm', { f: uid, d, ts: Date.now() });
  });
  socket.on('disconnect', () => {
    if (users.get(uid) === socket) users.delete(uid);
  });
});

server.listen(Number(arg('--port') ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  serveControl(typeof addr === 'object' && addr ? addr.port : 0);
});

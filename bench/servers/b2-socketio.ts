/**
 * B2, Socket.IO 4.8 with its defaults (in-memory adapter, `ws` engine, no compression). Clients
 * connect straight to the websocket transport. Rooms are Socket.IO rooms; a publish is
 * `socket.to(room).emit(…)` (encoded once per broadcast by the adapter), a direct message
 * `socket.emit(…)` on the receiver's socket.
 */
import http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { serveControl } from './control.js';

const server = http.createServer();
const io = new Server(server);
const users = new Map<string, Socket>();

io.on('connection', (socket) => {
  let uid = '';
  socket.on('hello', (u: string, ack: () => void) => {
    uid = u;
    users.set(u, socket);
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
  socket.on('dm', (to: string, d: string) => {
    users.get(to)?.emit('dm', { f: uid, d, ts: Date.now() });
  });
  socket.on('disconnect', () => {
    if (users.get(uid) === socket) users.delete(uid);
  });
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  serveControl(typeof addr === 'object' && addr ? addr.port : 0);
});

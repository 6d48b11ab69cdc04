/**
 * B1, the tuned `ws` room server: each event is stringified and turned into a Buffer once and
 * that Buffer goes to every recipient; each socket is corked on its first write of an event-loop
 * turn and uncorked in `setImmediate`, so all frames for one socket in one turn leave in one
 * `writev`. Public `ws` and `net` APIs only (the `net.Socket` comes from the upgrade request).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveControl } from './control.js';
import type { JsonRequest } from './json-protocol.js';

interface Client {
  ws: WebSocket;
  socket: Socket;
  corked: boolean;
  uid: string;
  rooms: Set<string>;
}

const rooms = new Map<string, Set<Client>>();
const users = new Map<string, Client>();
const corked: Client[] = [];
const TEXT = { binary: false } as const;

function uncorkAll(): void {
  for (const c of corked) {
    c.corked = false;
    c.socket.uncork();
  }
  corked.length = 0;
}

function send(c: Client, data: Buffer): void {
  if (c.ws.readyState !== 1) return;
  if (!c.corked) {
    c.corked = true;
    c.socket.cork();
    if (corked.push(c) === 1) setImmediate(uncorkAll);
  }
  c.ws.send(data, TEXT);
}

function broadcast(room: Set<Client>, except: Client, event: object): void {
  const data = Buffer.from(JSON.stringify(event));
  for (const m of room) if (m !== except) send(m, data);
}

function reply(c: Client, i: number): void {
  send(c, Buffer.from(`{"t":"ok","i":${i}}`));
}

function onMessage(c: Client, text: string): void {
  const req = JSON.parse(text) as JsonRequest;
  switch (req.t) {
    case 'hello':
      c.uid = req.u;
      users.set(req.u, c);
      return reply(c, req.i);
    case 'join': {
      let room = rooms.get(req.r);
      if (!room) rooms.set(req.r, (room = new Set()));
      room.add(c);
      c.rooms.add(req.r);
      broadcast(room, c, { t: 'joined', r: req.r, u: c.uid });
      return reply(c, req.i);
    }
    case 'leave': {
      const room = rooms.get(req.r);
      c.rooms.delete(req.r);
      if (room) {
        room.delete(c);
        broadcast(room, c, { t: 'left', r: req.r, u: c.uid });
      }
      return reply(c, req.i);
    }
    case 'pub': {
      const room = rooms.get(req.r);
      if (room) broadcast(room, c, { t: 'msg', r: req.r, f: c.uid, d: req.d, ts: Date.now() });
      return;
    }
    case 'dm': {
      const to = users.get(req.to);
      if (to)
        send(to, Buffer.from(JSON.stringify({ t: 'dm', f: c.uid, d: req.d, ts: Date.now() })));
      return;
    }
  }
}

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const c: Client = { ws, socket: req.socket, corked: false, uid: '', rooms: new Set() };
    ws.on('message', (data) => onMessage(c, data.toString()));
    ws.on('close', () => {
      for (const r of c.rooms) rooms.get(r)?.delete(c);
      if (users.get(c.uid) === c) users.delete(c.uid);
    });
    ws.on('error', () => undefined);
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  serveControl(typeof addr === 'object' && addr ? addr.port : 0);
});

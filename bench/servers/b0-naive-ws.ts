/**
 * B0, the naive `ws` room server: a `Map<room, Set<client>>`, and for every recipient
 * `ws.send(JSON.stringify(event))`, i.e. the event is re-stringified per recipient. No corking,
 * no pre-encoding: the server most tutorials end with.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveControl } from './control.js';
import type { JsonRequest } from './json-protocol.js';

interface Client {
  ws: WebSocket;
  uid: string;
  rooms: Set<string>;
}

const rooms = new Map<string, Set<Client>>();
const users = new Map<string, Client>();

function broadcast(room: Set<Client>, except: Client, event: object): void {
  for (const m of room) if (m !== except && m.ws.readyState === 1) m.ws.send(JSON.stringify(event));
}

function onMessage(c: Client, text: string): void {
  const req = JSON.parse(text) as JsonRequest;
  switch (req.t) {
    case 'hello':
      c.uid = req.u;
      users.set(req.u, c);
      c.ws.send(JSON.stringify({ t: 'ok', i: req.i }));
      return;
    case 'join': {
      let room = rooms.get(req.r);
      if (!room) rooms.set(req.r, (room = new Set()));
      room.add(c);
      c.rooms.add(req.r);
      broadcast(room, c, { t: 'joined', r: req.r, u: c.uid });
      c.ws.send(JSON.stringify({ t: 'ok', i: req.i }));
      return;
    }
    case 'leave': {
      const room = rooms.get(req.r);
      c.rooms.delete(req.r);
      if (room) {
        room.delete(c);
        broadcast(room, c, { t: 'left', r: req.r, u: c.uid });
      }
      c.ws.send(JSON.stringify({ t: 'ok', i: req.i }));
      return;
    }
    case 'pub': {
      const room = rooms.get(req.r);
      if (room) broadcast(room, c, { t: 'msg', r: req.r, f: c.uid, d: req.d, ts: Date.now() });
      return;
    }
    case 'dm': {
      const to = users.get(req.to);
      if (to && to.ws.readyState === 1)
        to.ws.send(JSON.stringify({ t: 'dm', f: c.uid, d: req.d, ts: Date.now() }));
      return;
    }
  }
}

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const c: Client = { ws, uid: '', rooms: new Set() };
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

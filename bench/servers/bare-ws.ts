/**
 * A bare `ws` server: accepts WebSocket upgrades on an HTTP server (as Parley's gateway does)
 * and does nothing else. The yardstick for memory per connection (S5) and upgrades/s (S6).
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { serveControl } from './control.js';

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => undefined);
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  serveControl(typeof addr === 'object' && addr ? addr.port : 0);
});

/**
 * A channel member in a process of its own that stops reading (the slow-consumer test and
 * `bench/tools/slow-consumer.ts` start it). Args: <url> <appId> <uid> <channel>. Prints `joined`
 * once in the channel and pauses its TCP socket (the server's writes pile up), yet keeps pinging
 * (so the server sees it alive); a line `read` on stdin resumes reading; prints
 * `closed <code> <reason>` when the socket closes.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '@parley/protocol';

const [url, app, uid, channel] = process.argv.slice(2) as [string, string, string, string];
const ws = new WebSocket(url, SUBPROTOCOL);
const tcp = () => (ws as unknown as { _socket: Socket })._socket;
ws.on('open', () => ws.send(JSON.stringify({ t: 'login', i: 1, a: app, u: uid })));
ws.on('message', (d: Buffer) => {
  const f = JSON.parse(d.toString()) as { t: string; i?: number };
  if (f.i === 1 && f.t === 'ok') ws.send(JSON.stringify({ t: 'join', i: 2, c: channel }));
  else if (f.i === 2 && f.t === 'ok') {
    tcp().pause();
    setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"t":"ping"}'), 2000).unref();
    process.stdout.write('joined\n');
  }
});
ws.on('error', () => undefined);
ws.on('close', (code: number, reason: Buffer) => {
  process.stdout.write(`closed ${code} ${reason.toString()}\n`);
  process.exit(0);
});
process.stdin.on('data', (d: Buffer) => {
  if (d.toString().includes('read')) tcp().resume();
});

/**
 * Gateway: HTTP (health) and WebSocket upgrades. It enforces the subprotocol, the frame size
 * and the login deadline, decodes and validates each frame (protocol/), and hands valid ones
 * to the socket's session. It knows nothing of messaging semantics.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CloseCode,
  Limits,
  SUBPROTOCOL,
  parseClientFrame,
  type ClientFrame,
  LoginError,
} from '@parley/protocol';
import { setWriteDelay } from './cork.js';
import type { Logger } from './log.js';
import type { Dispatcher } from './dispatcher.js';
import type { Session } from './session.js';

export interface GatewayOptions {
  loginTimeoutMs: number;
  /** See ServerConfig.writeDelayMs. */
  writeDelayMs: number;
  health: () => Record<string, unknown>;
  /** Answers REST routes; false for anything else. */
  rest: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Answers static files (demo page, SDK bundles); false for anything else. */
  files: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

interface Conn {
  session: Session | undefined;
  /** Milliseconds since the gateway started: a small integer (for 24 days), not a heap number. */
  acceptedAt: number;
  loggingIn: boolean;
}

/** Each socket's Conn rides on the socket: no map entry or closures per connection. */
const CONN = Symbol('parley.conn');
type Socket = WebSocket & { [CONN]: Conn };

export class Gateway {
  readonly http: http.Server;
  readonly wss: WebSocketServer;
  private accepting = true;
  private readonly startedAt = Date.now();
  private readonly loginSweep: NodeJS.Timeout;
  /** Socket listeners shared by every socket (`this` is the socket). */
  private readonly onMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  private readonly onClose: (this: WebSocket) => void;
  private readonly onError: (this: WebSocket, err: Error) => void;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly options: GatewayOptions,
    private readonly log: Logger,
  ) {
    // The listeners need both the socket (`this`, as EventEmitter calls them) and the gateway.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const gateway = this;
    this.onMessage = function (data, isBinary) {
      if (isBinary) this.close(CloseCode.BAD_FRAME, 'binary frames are not part of parley.v1');
      else gateway.onFrame(this, (this as Socket)[CONN], data.toString());
    };
    this.onClose = function () {
      const session = (this as Socket)[CONN].session;
      if (session) gateway.dispatcher.detach(session, this);
    };
    this.onError = (err) => this.log.debug({ err }, 'socket error');
    this.http = http.createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Limits.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        setWriteDelay(socket, this.options.writeDelayMs);
        this.onSocket(ws);
      });
    });
    this.loginSweep = setInterval(() => this.closeSlowLogins(Date.now()), 1000);
    this.loginSweep.unref();
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (req.method === 'GET' && (url === '/healthz' || url.startsWith('/healthz?'))) {
      const ok = this.accepting;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'draining', ...this.options.health() }));
      return;
    }
    if (this.options.rest(req, res)) return;
    if (this.options.files(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  }

  private onSocket(ws: WebSocket): void {
    if (ws.protocol !== SUBPROTOCOL) {
      ws.close(CloseCode.BAD_FRAME, `subprotocol ${SUBPROTOCOL} required`);
      return;
    }
    const socket = ws as Socket;
    socket[CONN] = {
      session: undefined,
      acceptedAt: Date.now() - this.startedAt,
      loggingIn: false,
    };
    socket.on('message', this.onMessage);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  private onFrame(ws: WebSocket, conn: Conn, text: string): void {
    const parsed = parseClientFrame(text);
    if (parsed.kind === 'malformed') {
      ws.close(CloseCode.BAD_FRAME, parsed.reason.slice(0, 120));
      return;
    }
    const now = Date.now();
    if (conn.session) this.dispatcher.touch(conn.session, now);
    if (parsed.kind === 'reject') {
      if (!conn.session && parsed.op !== 'login') this.notLoggedIn(ws, parsed.id);
      else ws.send(JSON.stringify({ t: 'err', i: parsed.id, c: parsed.code, m: parsed.message }));
      return;
    }
    const frame: ClientFrame = parsed.frame;
    if (frame.t === 'ping') {
      ws.send(`{"t":"pong","ts":${now}}`);
      return;
    }
    if (frame.t === 'login') {
      if (conn.session || conn.loggingIn) {
        ws.send(
          JSON.stringify({
            t: 'err',
            i: frame.i,
            c: LoginError.ALREADY_LOGIN,
            m: 'login: this connection is already logged in',
          }),
        );
        return;
      }
      conn.loggingIn = true;
      this.dispatcher
        .login(ws, frame, (session) => {
          conn.session = session;
          conn.loggingIn = false;
        })
        .then((session) => {
          conn.loggingIn = false;
          if (session && ws.readyState !== 1) this.dispatcher.detach(session, ws);
        })
        .catch((err) => {
          conn.loggingIn = false;
          if (ws.readyState === 1) ws.send(this.dispatcher.failure('login', frame.i, err));
        });
      return;
    }
    if (!conn.session) {
      if (frame.t !== 'ack') this.notLoggedIn(ws, frame.i);
      return;
    }
    this.dispatcher.handle(conn.session, frame, now, ws);
  }

  private notLoggedIn(ws: WebSocket, i: number): void {
    ws.send(JSON.stringify({ t: 'err', i, c: 102, m: 'not logged in: call login first' }));
  }

  private closeSlowLogins(now: number): void {
    for (const ws of this.wss.clients) {
      const conn = (ws as Socket)[CONN];
      if (
        conn &&
        !conn.session &&
        !conn.loggingIn &&
        now - this.startedAt - conn.acceptedAt > this.options.loginTimeoutMs
      )
        ws.close(CloseCode.LOGIN_TIMEOUT, 'no login in time');
    }
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        const addr = this.http.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting, tells every client to reconnect, closes their sockets. */
  async drain(): Promise<void> {
    this.accepting = false;
    clearInterval(this.loginSweep);
    const sockets = [...this.wss.clients];
    for (const ws of sockets) {
      if (ws.readyState === 1) ws.send('{"t":"bye"}');
      ws.close(CloseCode.GOING_AWAY, 'server shutting down');
    }
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const ws of sockets) ws.terminate();
    this.http.closeAllConnections();
  }
}

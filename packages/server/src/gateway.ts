/**
 * Gateway: HTTP (health, REST, files) and WebSocket upgrades. It enforces the subprotocol, the
 * frame size and the login deadline, decodes and validates each frame (protocol/), and hands
 * valid ones to the socket's session. It knows nothing of messaging semantics; what it writes
 * goes through the Hub, but for refusing a handshake and the drain.
 */
import http from 'node:http';
import type { Socket as TcpSocket } from 'node:net';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  CloseCode,
  EARLY_LOGIN_PARAM,
  Limits,
  LoginError,
  SUBPROTOCOL,
  SUBPROTOCOL_EARLY_LOGIN,
  USER_NOT_LOGGED_IN,
  encodeFrame,
  parseClientFrame,
  type Clock,
  type TimerHandle,
} from '@parley/protocol';
import type { Dispatcher } from './dispatcher.js';
import { ConnectionLimits } from './conn-limits.js';
import { OPEN, type Conn, type Hub } from './hub.js';
import type { Logger } from './log.js';
import { msSince, tick } from './ticks.js';

export interface GatewayOptions {
  loginTimeoutMs: number;
  /** How often sockets are checked for having logged in in time. */
  sweepIntervalMs: number;
  health: () => Record<string, unknown>;
  /** Answers REST routes; false for anything else. */
  rest: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Answers static files (demo page, SDK bundles); false for anything else. */
  files: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Node's HTTP timeouts: the request's headers, and the whole request, must arrive by then. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Open TCP connections, in all and per remote address (0 = no cap). */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Set = https and wss with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Browser origins allowed to open a WebSocket; empty = any (a client with no Origin: any). */
  allowedOrigins?: readonly string[];
}

/**
 * Every SDK's heartbeat (`encodeFrame({ t: 'ping' })`), every 2.5 s per client: the gateway
 * knows these bytes without decoding them. Anything else spelling a ping takes the usual path.
 */
const PING = Buffer.from(encodeFrame({ t: 'ping' }));

const FRAME_TOO_BIG = `frame larger than ${Limits.maxFrameBytes} bytes (maxFrameBytes)`;

/** ws closes an oversized frame with 1009 and no reason; this one names the limit. */
class ParleySocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    super.close(code, code === 1009 && !data ? FRAME_TOO_BIG : data);
  }
}

/** Each socket's Conn rides on the socket: no map entry or closures per connection. */
const CONN = Symbol('parley.conn');
type Socket = WebSocket & { [CONN]: Conn };
/** The login frame an upgrade request carried in its URL (see SUBPROTOCOL_EARLY_LOGIN). */
const EARLY = Symbol('parley.earlyLogin');
type UpgradeRequest = http.IncomingMessage & { [EARLY]?: string };

/**
 * The login frame's text from the upgrade URL, when the client offers the early-login
 * subprotocol and sent one (bounded by the HTTP parser's header limit); else undefined.
 */
function earlyLogin(req: http.IncomingMessage): string | undefined {
  const offered = req.headers['sec-websocket-protocol'];
  if (!offered?.includes(SUBPROTOCOL_EARLY_LOGIN)) return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const b64 = queryParam(url, q + 1, EARLY_LOGIN_PARAM);
  if (!b64) return undefined;
  return Buffer.from(b64, 'base64url').toString('utf8');
}

/**
 * The first value of query parameter `name` in `url` from `from` on, as URLSearchParams'
 * `get` answers it. Our clients send base64url, which needs no decoding: the parameter is
 * found by a scan, and only a query with escapes (`%`, `+`) goes through URLSearchParams.
 */
export function queryParam(url: string, from: number, name: string): string | null {
  if (url.includes('%', from) || url.includes('+', from))
    return new URLSearchParams(url.slice(from)).get(name);
  for (let at = from; at <= url.length;) {
    const amp = url.indexOf('&', at);
    const end = amp < 0 ? url.length : amp;
    if (url.startsWith(name, at)) {
      const after = at + name.length;
      if (after === end) return '';
      if (url.charCodeAt(after) === 0x3d) return url.slice(after + 1, end); // '='
    }
    at = end + 1;
  }
  return null;
}

export class Gateway {
  readonly http: http.Server;
  readonly wss: WebSocketServer;
  readonly limits: ConnectionLimits;
  private accepting = true;
  private readonly loginSweep: TimerHandle;
  /** Socket listeners shared by every socket (`this` is the socket). */
  private readonly onMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  private readonly onClose: (this: WebSocket) => void;
  private readonly onError: (this: WebSocket, err: Error) => void;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly hub: Hub,
    private readonly options: GatewayOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    // The listeners need both the socket (`this`, as EventEmitter calls them) and the gateway.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const gateway = this;
    this.onMessage = function (data, isBinary) {
      const conn = (this as Socket)[CONN];
      if (isBinary)
        gateway.hub.disconnectConn(
          conn,
          CloseCode.BAD_FRAME,
          'binary frames are not part of parley.v1',
        );
      else if (data.length === PING.length && data.equals(PING)) gateway.onPing(conn);
      else gateway.onFrame(conn, data.toString());
    };
    this.onClose = function () {
      const conn = (this as Socket)[CONN];
      gateway.limits.closed(conn.tcp as TcpSocket);
      if (conn.session) gateway.dispatcher.detach(conn.session, conn);
    };
    this.onError = (err) => this.log.debug({ err }, 'socket error');
    const onHttp = (req: http.IncomingMessage, res: http.ServerResponse) => this.onHttp(req, res);
    const httpOptions = {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Node checks those timeouts this often (its default, 30 s, held half-sent requests ~95 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, options.headersTimeoutMs / 4)),
    };
    this.http = options.tls
      ? https.createServer({ ...options.tls, ...httpOptions }, onHttp)
      : http.createServer(httpOptions, onHttp);
    this.limits = new ConnectionLimits(options.maxConnections, options.maxConnectionsPerIp);
    // Over TLS the request's socket is the TLS one: count that (it closes with the TCP one).
    this.http.on(options.tls ? 'secureConnection' : 'connection', (socket: TcpSocket) =>
      this.limits.track(socket),
    );
    this.wss = new WebSocketServer({
      WebSocket: ParleySocket,
      noServer: true,
      maxPayload: Limits.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols, req: UpgradeRequest) =>
        protocols.has(SUBPROTOCOL_EARLY_LOGIN) && req[EARLY] !== undefined
          ? SUBPROTOCOL_EARLY_LOGIN
          : protocols.has(SUBPROTOCOL)
            ? SUBPROTOCOL
            : false,
    });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      const origin = req.headers.origin;
      const allowed = options.allowedOrigins ?? [];
      if (origin !== undefined && allowed.length > 0 && !allowed.includes(origin)) {
        const body = `origin ${origin.slice(0, 200)} is not allowed to connect (PARLEY_ALLOWED_ORIGINS)\n`;
        socket.end(
          'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      const refusal = this.limits.refusal(socket as TcpSocket);
      if (refusal !== undefined) {
        this.wss.handleUpgrade(req, socket, head, (ws) =>
          ws.close(CloseCode.TRY_AGAIN_LATER, refusal),
        );
        return;
      }
      const early = earlyLogin(req);
      if (early !== undefined) {
        (req as UpgradeRequest)[EARLY] = early;
        // The 101 and the login's reply leave in one write when the login is done this turn.
        this.hub.hold(socket);
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, socket, early));
    });
    this.loginSweep = clock.setInterval(
      () => this.closeSlowLogins(clock.now()),
      options.sweepIntervalMs,
    );
    this.loginSweep.unref?.();
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const refusal = this.limits.refusal(req.socket);
    if (refusal) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: refusal }));
      return;
    }
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

  private onSocket(ws: WebSocket, tcp: Duplex, early: string | undefined): void {
    const earlyLogin = ws.protocol === SUBPROTOCOL_EARLY_LOGIN;
    if (ws.protocol !== SUBPROTOCOL && !earlyLogin) {
      ws.close(CloseCode.BAD_FRAME, `subprotocol ${SUBPROTOCOL} required`);
      return;
    }
    const socket = ws as Socket;
    socket[CONN] = {
      ws,
      tcp,
      session: undefined,
      acceptedAt: tick(this.clock.now()),
      loggingIn: false,
    };
    this.limits.handOver(tcp as TcpSocket);
    socket.on('message', this.onMessage);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    if (earlyLogin) this.onEarlyLogin(socket[CONN], early!);
  }

  /** The login frame from the upgrade URL: handled as if it were the socket's first frame. */
  private onEarlyLogin(conn: Conn, text: string): void {
    const parsed = parseClientFrame(text);
    if (parsed.kind === 'frame' && parsed.frame.t !== 'login') {
      this.hub.disconnectConn(conn, CloseCode.BAD_FRAME, 'early login: not a login frame');
      return;
    }
    this.onFrame(conn, text, parsed);
  }

  /** A ping as the SDKs encode it, answered as `onFrame` would without parsing it. */
  private onPing(conn: Conn): void {
    const now = this.clock.now();
    if (conn.session) this.dispatcher.touch(conn.session, now);
    this.hub.tellConn(conn, { t: 'pong', ts: now });
  }

  private onFrame(conn: Conn, text: string, parsed = parseClientFrame(text)): void {
    if (parsed.kind === 'malformed') {
      this.hub.disconnectConn(conn, CloseCode.BAD_FRAME, parsed.reason.slice(0, 120));
      return;
    }
    const now = this.clock.now();
    const session = conn.session;
    if (session) this.dispatcher.touch(session, now);
    if (parsed.kind === 'reject') {
      if (!session && parsed.op !== 'login') this.notLoggedIn(conn, parsed.id);
      else this.hub.tellConn(conn, { t: 'err', i: parsed.id, c: parsed.code, m: parsed.message });
      return;
    }
    const frame = parsed.frame;
    if (frame.t === 'ping') {
      this.hub.tellConn(conn, { t: 'pong', ts: now });
      return;
    }
    if (frame.t === 'login') {
      if (session || conn.loggingIn) {
        this.hub.tellConn(conn, {
          t: 'err',
          i: frame.i,
          c: LoginError.ALREADY_LOGIN,
          m: 'login: this connection is already logged in',
        });
        return;
      }
      conn.loggingIn = true;
      this.dispatcher.login(conn, frame).then(
        (s) => {
          conn.loggingIn = false;
          if (s && conn.ws.readyState !== OPEN) this.dispatcher.detach(s, conn);
        },
        (err: unknown) => {
          conn.loggingIn = false;
          this.hub.tellConn(conn, this.dispatcher.loginFailure(frame.i, err));
        },
      );
      return;
    }
    if (!session) {
      if (frame.t !== 'ack') this.notLoggedIn(conn, frame.i);
      return;
    }
    this.dispatcher.handle(session, frame, now);
  }

  private notLoggedIn(conn: Conn, i: number): void {
    this.hub.tellConn(conn, {
      t: 'err',
      i,
      c: USER_NOT_LOGGED_IN,
      m: 'not logged in: call login first',
    });
  }

  private closeSlowLogins(now: number): void {
    for (const ws of this.wss.clients) {
      const conn = (ws as Socket)[CONN];
      if (
        conn &&
        !conn.session &&
        !conn.loggingIn &&
        msSince(conn.acceptedAt, now) > this.options.loginTimeoutMs
      )
        this.hub.disconnectConn(conn, CloseCode.LOGIN_TIMEOUT, 'no login in time');
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
    this.clock.clear(this.loginSweep);
    const sockets = [...this.wss.clients];
    for (const ws of sockets) {
      const conn = (ws as Socket)[CONN];
      if (conn) this.hub.tellConn(conn, { t: 'bye' });
      ws.close(CloseCode.GOING_AWAY, 'server shutting down');
    }
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const ws of sockets) ws.terminate();
    this.http.closeAllConnections();
  }
}

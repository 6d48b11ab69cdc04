/**
 * Hub: the sessions on this node and their sockets. It indexes sessions by id and by user, and
 * channel members by channel; and it is the only code that writes to or closes a socket. Every
 * frame is encoded by protocol's encoder; a fan-out frame is encoded once and the same bytes go
 * to every member.
 *
 * Frames are written as bytes straight to the TCP stream: the Hub builds each WebSocket text
 * frame itself (`ws-frame.ts`: header + payload, unmasked, one Buffer), so a fan-out frames its
 * message once and every member's socket gets the same Buffer in one write, instead of `ws`'s
 * sender making a header and two writes per receiver. `ws` keeps the handshake, reading, pings,
 * pongs and closes; its own frames are whole buffers written synchronously to the same stream,
 * so they never split one of ours and the order of writes is kept. This needs
 * permessage-deflate off (the gateway's `WebSocketServer` turns it off: no frame of ours has
 * RSV1) and nothing sent through `ws.send` (whose sender could queue behind a deflate or a Blob).
 *
 * Writes are batched: the first frame written to a socket in an event-loop turn corks its TCP
 * stream and one setImmediate uncorks every corked stream, so a turn's frames leave in one
 * writev (bench S1 measures it). With a write delay (`writeDelayMs`, Centrifugo's
 * `write_delay`) a corked stream stays corked that long, so frames of several turns share one
 * syscall: less CPU per delivery for up to that much more latency. Batching uses the host's
 * timers, not the injected clock: it is I/O scheduling, not protocol time.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, encodeFrame, type ServerFrame } from '@parley/protocol';
import type { OutboxExtra, Session, UnsequencedPush } from './session.js';
import { pushFrame, textFrame } from './ws-frame.js';

/** `WebSocket.OPEN`. */
export const OPEN = 1;

/** One accepted WebSocket: its socket, the TCP stream under it, and the session it serves. */
export interface Conn {
  readonly ws: WebSocket;
  /** The upgraded TCP stream (for write batching). */
  readonly tcp: Duplex;
  session: Session | undefined;
  /** When the socket was accepted, as a tick (see `ticks.ts`). */
  acceptedAt: number;
  loggingIn: boolean;
}

type Members = Map<string, Set<Session>>;

const NO_MEMBERS: ReadonlySet<Session> = new Set();

export class Hub {
  private readonly bySid = new Map<string, Session>();
  /** app → uid → session: no key string made per session or per lookup. */
  private readonly byUser = new Map<string, Map<string, Session>>();
  /** app → channel → local members. */
  private readonly channels = new Map<string, Members>();
  private readonly corked: Duplex[] = [];
  private flushScheduled = false;
  private readonly delayed: Duplex[] = [];
  private readonly flushAll = (): void => {
    this.flushScheduled = false;
    uncork(this.corked.splice(0));
  };
  private readonly flushDelayed = (): void => uncork(this.delayed.splice(0));
  /** Sockets the last `fanout` wrote to (read right after it, for the fan-out event). */
  lastFanoutWrites = 0;
  /** Sockets closed for holding more than `maxSocketBufferBytes` unsent (a client not reading). */
  overflows = 0;
  /** Hears each such close, for the session to be dropped as by the network (and logged). */
  onOverflow: ((session: Session, conn: Conn) => void) | undefined;

  constructor(
    private readonly writeDelayMs: number,
    private readonly maxSocketBufferBytes = Infinity,
  ) {}

  // ---------- sessions ----------

  get size(): number {
    return this.bySid.size;
  }

  add(session: Session): void {
    this.bySid.set(session.sid, session);
    let users = this.byUser.get(session.app);
    if (!users) this.byUser.set(session.app, (users = new Map()));
    users.set(session.uid, session);
  }

  remove(session: Session): void {
    if (this.bySid.get(session.sid) === session) this.bySid.delete(session.sid);
    const users = this.byUser.get(session.app);
    if (users?.get(session.uid) !== session) return;
    users.delete(session.uid);
    if (users.size === 0) this.byUser.delete(session.app);
  }

  bySessionId(sid: string): Session | undefined {
    return this.bySid.get(sid);
  }

  byUserId(app: string, uid: string): Session | undefined {
    return this.byUser.get(app)?.get(uid);
  }

  all(): IterableIterator<Session> {
    return this.bySid.values();
  }

  /** Channels with members on this node (for gauges, read at scrape time). */
  get channelCount(): number {
    let n = 0;
    for (const byChannel of this.channels.values()) n += byChannel.size;
    return n;
  }

  // ---------- channel members on this node ----------

  /** Adds a local member; answers true when the channel had none here before. */
  addMember(app: string, channel: string, session: Session): boolean {
    let byChannel = this.channels.get(app);
    if (!byChannel) this.channels.set(app, (byChannel = new Map()));
    const set = byChannel.get(channel);
    if (set) {
      set.add(session);
      return false;
    }
    byChannel.set(channel, new Set([session]));
    return true;
  }

  /** Removes a local member; answers true when it was the channel's last one here. */
  removeMember(app: string, channel: string, session: Session): boolean {
    const byChannel = this.channels.get(app);
    const set = byChannel?.get(channel);
    if (!set?.delete(session) || set.size > 0) return false;
    byChannel!.delete(channel);
    if (byChannel!.size === 0) this.channels.delete(app);
    return true;
  }

  members(app: string, channel: string): ReadonlySet<Session> {
    return this.channels.get(app)?.get(channel) ?? NO_MEMBERS;
  }

  // ---------- writes ----------

  /** The session takes the socket: frames to it go there from now on. */
  attach(session: Session, conn: Conn): void {
    session.conn = conn;
    conn.session = session;
  }

  /** Sends a frame that needs no resume (a reply, a notice); dropped if the session has no socket. */
  tell(session: Session, frame: ServerFrame): void {
    if (session.attached) this.write(session.conn!, encodeFrame(frame));
  }

  /** Sends a frame to a socket that has no session yet (login replies). */
  tellConn(conn: Conn, frame: ServerFrame): void {
    if (conn.ws.readyState === OPEN) this.write(conn, encodeFrame(frame));
  }

  /**
   * Sends a frame that must reach the client exactly once: the session numbers it and keeps it
   * until acknowledged. Answers false if the session's outbox is full.
   */
  push(session: Session, frame: UnsequencedPush, extra?: OutboxExtra): boolean {
    const entry = session.enqueue(frame, extra);
    if (entry === undefined) return false;
    if (session.attached) this.writeWire(session.conn!, pushFrame(entry.json, entry.s));
    return true;
  }

  /** Re-sends every unacknowledged frame of the session, in order (after a resume). */
  replay(session: Session): void {
    const conn = session.conn;
    if (!conn || conn.ws.readyState !== OPEN) return;
    for (const e of session.unacknowledged()) this.writeWire(conn, pushFrame(e.json, e.s));
  }

  /** Writes a frame `fanout` answered before (a channel's replay ring) to the session's socket. */
  resend(session: Session, wire: Buffer): void {
    if (session.attached) this.writeWire(session.conn!, wire);
  }

  /**
   * Sends `frame` to every local member of the channel but the user `except`: encoded and
   * framed once, the same Buffer written to each socket. Answers that WebSocket frame (for a
   * replay ring; `resend` writes it again).
   */
  fanout(app: string, channel: string, frame: ServerFrame, except?: string): Buffer {
    const wire = textFrame(encodeFrame(frame), true);
    let writes = 0;
    for (const s of this.members(app, channel))
      if (s.uid !== except && s.attached) {
        this.writeWire(s.conn!, wire);
        writes++;
      }
    this.lastFanoutWrites = writes;
    return wire;
  }

  /** Closes the session's socket with a code and reason; the session keeps no socket. */
  disconnect(session: Session, code: number, reason: string): void {
    const conn = session.conn;
    session.conn = null;
    if (conn) this.disconnectConn(conn, code, reason);
  }

  disconnectConn(conn: Conn, code: number, reason: string): void {
    conn.ws.close(code, reason);
  }

  /** Drops the session's socket at once, without a closing handshake (a newer socket took over). */
  drop(session: Session): void {
    const conn = session.conn;
    session.conn = null;
    conn?.ws.terminate();
  }

  private write(conn: Conn, text: string): void {
    this.writeWire(conn, textFrame(text));
  }

  /** Writes one whole WebSocket frame (see `ws-frame.ts`) to the socket's TCP stream. */
  private writeWire(conn: Conn, wire: Buffer): void {
    // Bytes earlier turns left unsent (checked before this turn's batch): a client that does
    // not read is cut at the limit, not buffered for without end.
    if (conn.tcp.writableCorked === 0 && conn.tcp.writableLength > this.maxSocketBufferBytes)
      return this.overflow(conn);
    this.cork(conn.tcp);
    conn.tcp.write(wire);
  }

  /** Holds the stream's writes until the batch leaves (the gateway: a 101 and its login reply). */
  hold(tcp: Duplex): void {
    this.cork(tcp);
  }

  /** Closes the socket with its reason (queued behind what it holds; ws ends it within 30 s). */
  private overflow(conn: Conn): void {
    this.overflows++;
    const reason = `more than ${this.maxSocketBufferBytes} bytes unsent (PARLEY_MAX_SOCKET_BUFFER_BYTES)`;
    conn.ws.close(CloseCode.SOCKET_BUFFER_FULL, reason);
    const session = conn.session;
    if (session && session.conn === conn) this.onOverflow?.(session, conn);
  }

  private cork(tcp: Duplex): void {
    if (tcp.writableCorked > 0) return;
    tcp.cork();
    if (this.writeDelayMs === 0) {
      this.corked.push(tcp);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flushAll);
      }
      return;
    }
    if (this.delayed.length === 0) setTimeout(this.flushDelayed, this.writeDelayMs).unref();
    this.delayed.push(tcp);
  }
}

function uncork(list: Duplex[]): void {
  for (const tcp of list) if (tcp.writableCorked > 0) tcp.uncork();
}

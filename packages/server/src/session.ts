/**
 * Session: one logged-in client. It owns who it is, its token expiry, its rate limiter, its
 * subscriptions, and its outbox: the frames sent with a delivery sequence `s` and not yet
 * acknowledged, kept so a client that drops and resumes within the window gets each exactly
 * once. A session outlives its socket by up to the resume window.
 */
import { encodeFrame, type PeerState, type ReliablePush, type WireMessage } from '@parley/protocol';
import { OPEN, type Conn } from './hub.js';
import { RateWindow } from './rate-window.js';
import { msSince, tick } from './ticks.js';

/** Where to send the reply to a peer message once its receiver acknowledged it. */
export interface ReplyTarget {
  node: string;
  sid: string;
  i: number;
  mid: string;
  ts: number;
  /** Set when the message went to another node: its slot in the sender node's Unreceipted. */
  k?: number;
}

/** What an outbox entry carries besides its frame. */
export interface OutboxExtra {
  offlineMid?: string;
  reply?: ReplyTarget;
  /** A peer message its sender flagged for offline storage. */
  off?: boolean;
}

export interface OutboxEntry {
  s: number;
  /** The frame encoded without its `s` (see `sequencedText`). */
  json: string;
  /** Set for an offline message: delete it from the store once acknowledged. */
  offlineMid?: string;
  /** Set for a peer message whose sender waits for the receipt. */
  reply?: ReplyTarget;
  /** Set for a peer message: a newer session of the same user takes it over if undelivered. */
  peer?: UnsequencedPush;
  /** Set for a peer message flagged for offline storage: kept there if it is not delivered. */
  off?: true;
}

/** A flagged peer message still unacknowledged, and what the offline store needs of it. */
export interface UnstoredMessage {
  entry: OutboxEntry;
  msg: { mid: string; from: string; m: WireMessage; ts: number };
}

/** A reliable push before the session numbers it. */
export type UnsequencedPush = ReliablePush extends infer P
  ? P extends ReliablePush
    ? Omit<P, 's'>
    : never
  : never;

/** A session as it travels to another node when its client resumes there. */
export interface SessionSnapshot {
  sid: string;
  app: string;
  uid: string;
  tokenExpMs: number;
  presence: Exclude<PeerState, 'OFFLINE'>;
  seq: number;
  outbox: OutboxEntry[];
  channels: string[];
  subscriptions: string[];
  echo: boolean;
  /** What each feature service keeps per session, by the service's first op. */
  services: Record<string, unknown>;
}

const NONE: ReadonlySet<string> = new Set();
const ENDED = 1;
const WILL_EXPIRE_SENT = 2;
const ECHO = 4;

/** Per-session state made on first use: an idle session carries none of it. */
interface Extras {
  joined?: Set<string> | undefined;
  watching?: Set<string> | undefined;
  /** Rate limiters by name. */
  rates?: Map<string, RateWindow>;
}
const NO_MIDS: readonly string[] = Object.freeze([]);
const NO_FRAMES: OutboxEntry[] = Object.freeze([]) as unknown as OutboxEntry[];

export interface SessionLimits {
  sendRateCount: number;
  sendRateWindowMs: number;
  maxOutboxFrames: number;
}

export class Session {
  /** The socket serving the session; null while the client is away (see Hub). */
  conn: Conn | null = null;
  /** When the last packet arrived from the client, as a tick (see `ticks.ts`): set by `heard`. */
  private rxTick: number;
  presence: Exclude<PeerState, 'OFFLINE'> = 'ONLINE';
  /** Token expiry, ms since the epoch; 0 = never. */
  tokenExpMs: number;
  /** The boolean states below, as bits: every field costs 8 bytes per connection. */
  private flags = 0;
  /** What a session uses only once it does something: made on first use. */
  private extras: Extras | undefined;
  private seq = 0;
  /** NO_FRAMES (shared) while empty: an idle session carries no array. */
  private outbox: OutboxEntry[] = NO_FRAMES;
  private outboxHead = 0;

  constructor(
    readonly sid: string,
    readonly app: string,
    readonly uid: string,
    tokenExpMs: number,
    private readonly limits: SessionLimits,
    now: number,
  ) {
    this.tokenExpMs = tokenExpMs;
    this.rxTick = tick(now);
  }

  /** A packet arrived from the client at `now` (ms). */
  heard(now: number): void {
    this.rxTick = tick(now);
  }

  /** Milliseconds from the last packet from the client to `now`. */
  silentMs(now: number): number {
    return msSince(this.rxTick, now);
  }

  /** The session ended (logout, kick, expiry, moved away): nothing more is done for it. */
  get ended(): boolean {
    return (this.flags & ENDED) !== 0;
  }
  set ended(on: boolean) {
    this.flags = on ? this.flags | ENDED : this.flags & ~ENDED;
  }

  /** TokenPrivilegeWillExpire went out for the current token. */
  get willExpireSent(): boolean {
    return (this.flags & WILL_EXPIRE_SENT) !== 0;
  }
  set willExpireSent(on: boolean) {
    this.flags = on ? this.flags | WILL_EXPIRE_SENT : this.flags & ~WILL_EXPIRE_SENT;
  }

  /** Channel messages are also delivered to their sender (legacy Signaling). */
  get echoChannelMessages(): boolean {
    return (this.flags & ECHO) !== 0;
  }
  set echoChannelMessages(on: boolean) {
    this.flags = on ? this.flags | ECHO : this.flags & ~ECHO;
  }

  /** Channels this session has joined. */
  get channels(): ReadonlySet<string> {
    return this.extras?.joined ?? NONE;
  }

  /** Users whose presence this session subscribed to. */
  get subscriptions(): ReadonlySet<string> {
    return this.extras?.watching ?? NONE;
  }

  addChannel(channel: string): void {
    ((this.extras ??= {}).joined ??= new Set()).add(channel);
  }

  removeChannel(channel: string): boolean {
    const joined = this.extras?.joined;
    if (!joined?.delete(channel)) return false;
    if (joined.size === 0) this.extras!.joined = undefined;
    return true;
  }

  addSubscription(uid: string): void {
    ((this.extras ??= {}).watching ??= new Set()).add(uid);
  }

  removeSubscription(uid: string): boolean {
    const watching = this.extras?.watching;
    if (!watching?.delete(uid)) return false;
    if (watching.size === 0) this.extras!.watching = undefined;
    return true;
  }

  clearSubscriptions(): void {
    if (this.extras) this.extras.watching = undefined;
  }

  /** Peer + channel messages: one window for both, as in RTM. */
  get sendRate(): RateWindow {
    return this.rate('send', this.limits.sendRateCount, this.limits.sendRateWindowMs);
  }

  /** A rate limiter of this session by name, made on first use (for feature services). */
  rate(name: string, count: number, windowMs: number): RateWindow {
    const rates = ((this.extras ??= {}).rates ??= new Map());
    let r = rates.get(name);
    if (!r) {
      r = new RateWindow(count, windowMs);
      rates.set(name, r);
    }
    return r;
  }

  get attached(): boolean {
    return this.conn !== null && this.conn.ws.readyState === OPEN;
  }

  get outboxSize(): number {
    return this.outbox.length - this.outboxHead;
  }

  /**
   * Numbers a frame that must reach the client exactly once and keeps it until acknowledged;
   * answers its outbox entry (`pushFrame` sends it), or undefined if the outbox is full (the
   * session must end).
   */
  enqueue(frame: UnsequencedPush, extra?: OutboxExtra): OutboxEntry | undefined {
    if (this.outboxSize >= this.limits.maxOutboxFrames) return undefined;
    const s = ++this.seq;
    // Encoded without `s`: the WebSocket frame appends it (no second copy of the text).
    const entry: OutboxEntry = { s, json: encodeFrame(frame as ReliablePush) };
    if (extra?.offlineMid) entry.offlineMid = extra.offlineMid;
    if (extra?.reply) entry.reply = extra.reply;
    if (extra?.off) entry.off = true;
    if (frame.t === 'msg') entry.peer = frame;
    if (this.outbox === NO_FRAMES) this.outbox = [];
    this.outbox.push(entry);
    return entry;
  }

  /**
   * Drops acknowledged frames (s <= `s`). Answers the offline message ids and sender replies
   * they carried, for the caller to settle.
   */
  ack(s: number): { offlineMids: readonly string[]; replies: ReplyTarget[] } {
    let offlineMids: string[] | undefined; // made only when there are some (rare)
    const replies: ReplyTarget[] = [];
    while (this.outboxHead < this.outbox.length && this.outbox[this.outboxHead]!.s <= s) {
      const e = this.outbox[this.outboxHead]!;
      if (e.offlineMid) (offlineMids ??= []).push(e.offlineMid);
      if (e.reply) replies.push(e.reply);
      this.outboxHead++;
    }
    if (this.outboxHead === this.outbox.length) {
      // Everything acknowledged (the usual case): let go of the entries at once.
      this.outbox = NO_FRAMES;
      this.outboxHead = 0;
    } else if (this.outboxHead > 1024 && this.outboxHead * 2 > this.outbox.length) {
      this.outbox = this.outbox.slice(this.outboxHead);
      this.outboxHead = 0;
    }
    return { offlineMids: offlineMids ?? NO_MIDS, replies };
  }

  /** The sender replies waiting on this session's unacknowledged frames (left in place). */
  pendingReplies(): ReplyTarget[] {
    return this.replies(false);
  }

  /** Takes the sender replies still waiting (their receipt will not come on this socket). */
  takeReplies(): ReplyTarget[] {
    return this.replies(true);
  }

  private replies(take: boolean): ReplyTarget[] {
    const replies: ReplyTarget[] = [];
    for (let k = this.outboxHead; k < this.outbox.length; k++) {
      const e = this.outbox[k]!;
      if (!e.reply) continue;
      replies.push(e.reply);
      if (take) delete e.reply;
    }
    return replies;
  }

  /** The sequence of the last frame numbered. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Whether the frame numbered `s` is still unacknowledged. */
  pending(s: number): boolean {
    return this.outboxHead < this.outbox.length && this.outbox[this.outboxHead]!.s <= s;
  }

  /**
   * The unacknowledged peer messages: those flagged for offline storage that are not in the
   * store yet (each marked as stored from now on: the caller puts it there), and how many
   * others (unflagged) there are.
   */
  takeUnstored(): { unstored: UnstoredMessage[]; unflagged: number } {
    const unstored: UnstoredMessage[] = [];
    let unflagged = 0;
    for (let k = this.outboxHead; k < this.outbox.length; k++) {
      const e = this.outbox[k]!;
      if (!e.peer || e.peer.t !== 'msg') continue;
      if (e.offlineMid && !e.off) continue; // listed from the store: still there
      if (!e.off) unflagged++;
      else if (!e.offlineMid) {
        e.offlineMid = e.peer.mid;
        unstored.push({
          entry: e,
          msg: { mid: e.peer.mid, from: e.peer.f, m: e.peer.m, ts: e.peer.ts },
        });
      }
    }
    return { unstored, unflagged };
  }

  /** The unacknowledged frames, in order (for a replay after a resume). */
  *unacknowledged(): Generator<OutboxEntry> {
    for (let k = this.outboxHead; k < this.outbox.length; k++) yield this.outbox[k]!;
  }

  /** What another node needs to carry this session on (see `Session.restore`). */
  snapshot(): SessionSnapshot {
    return {
      sid: this.sid,
      app: this.app,
      uid: this.uid,
      tokenExpMs: this.tokenExpMs,
      presence: this.presence,
      seq: this.seq,
      outbox: this.outbox.slice(this.outboxHead),
      channels: [...this.channels],
      subscriptions: [...this.subscriptions],
      echo: this.echoChannelMessages,
      services: {},
    };
  }

  /** The session of a snapshot, on this node: same id, sequence and unacknowledged frames. */
  static restore(snap: SessionSnapshot, limits: SessionLimits, now: number): Session {
    const s = new Session(snap.sid, snap.app, snap.uid, snap.tokenExpMs, limits, now);
    s.presence = snap.presence;
    s.seq = snap.seq;
    if (snap.outbox.length > 0) s.outbox = snap.outbox;
    for (const c of snap.channels) s.addChannel(c);
    for (const u of snap.subscriptions) s.addSubscription(u);
    s.echoChannelMessages = snap.echo;
    return s;
  }

  /** The peer messages still undelivered, for a newer session of the same user to take over. */
  undeliveredMessages(): { frame: UnsequencedPush; extra: OutboxExtra }[] {
    const out: { frame: UnsequencedPush; extra: OutboxExtra }[] = [];
    for (let k = this.outboxHead; k < this.outbox.length; k++) {
      const e = this.outbox[k]!;
      if (!e.peer) continue;
      const extra: OutboxExtra = {};
      if (e.offlineMid) extra.offlineMid = e.offlineMid;
      if (e.off) extra.off = true;
      out.push({ frame: e.peer, extra });
    }
    return out;
  }
}

/**
 * Store: the durable and shared state of Parley. Every call is async, even in memory, so a
 * networked backend (Redis) fits without changing a service. Implementations live beside this
 * file and all pass `test/backend-conformance.ts`.
 */
import type { PeerState, WireMessage } from '@parley/protocol';

/** A peer message kept for a receiver who was offline. */
export interface StoredMessage {
  /** Server message id, stable across redeliveries (the SDK drops duplicates by it). */
  mid: string;
  from: string;
  m: WireMessage;
  /** serverReceivedTs, ms since the epoch. */
  ts: number;
}

export interface OfflineLimits {
  /** Kept per receiver; the oldest is evicted first. */
  maxPerReceiver: number;
  /** Older messages are dropped, not delivered. */
  maxAgeMs: number;
}

/** The session that holds a user, and the node that holds the session. */
export interface UserHolder {
  sid: string;
  node: string;
}

export interface Store {
  /**
   * Makes `holder` the one session of (app, uid) and answers the holder it replaced, if any.
   * At most one session holds a user at a time (a later login wins).
   */
  claimUser(app: string, uid: string, holder: UserHolder): Promise<UserHolder | undefined>;
  /** The session holding (app, uid) and its node; undefined when the user is offline. */
  locateUser(app: string, uid: string): Promise<UserHolder | undefined>;
  /**
   * Records that (app, uid)'s session moved from `holder` to node `to` (a resume on another
   * node). Answers false, changing nothing, when `holder` no longer holds the user.
   */
  moveUser(app: string, uid: string, holder: UserHolder, to: string): Promise<boolean>;
  /**
   * Ends (app, uid)'s session if `holder` (that session on that node) still holds it; answers
   * whether it did. A session that moved to another node is not released by its old one.
   */
  releaseUser(app: string, uid: string, holder: UserHolder): Promise<boolean>;
  /** Records the presence of a user who holds a session (ONLINE or UNREACHABLE). */
  setPresence(app: string, uid: string, state: Exclude<PeerState, 'OFFLINE'>): Promise<void>;
  /** The presence of each uid; a user without a session is OFFLINE. */
  getPresence(app: string, uids: readonly string[]): Promise<PeerState[]>;

  /**
   * Keeps a message for an offline receiver. Resolves once it is durable (on disk for the
   * embedded backend). Evicts the receiver's oldest messages beyond `maxPerReceiver`.
   */
  putOffline(app: string, to: string, msg: StoredMessage): Promise<void>;
  /** The receiver's kept messages, oldest first, without those past `maxAgeMs`. */
  listOffline(app: string, to: string): Promise<StoredMessage[]>;
  /** Forgets kept messages once the receiver acknowledged them. */
  deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void>;

  /** Bans (app, uid) from logging in until `untilMs` (ms since the epoch); 0 lifts the ban. */
  setBan(app: string, uid: string, untilMs: number): Promise<void>;
  /** When (app, uid)'s ban ends, ms since the epoch; 0 when not banned. */
  getBan(app: string, uid: string, nowMs: number): Promise<number>;

  /** Records that `node` holds session `sid` of (app, uid), so others can end it if the node dies. */
  registerSession(node: string, app: string, uid: string, sid: string): Promise<void>;
  unregisterSession(node: string, app: string, uid: string, sid: string): Promise<void>;
  /**
   * Marks `node` alive for the next `ttlMs`. Answers whether it was still marked: false the
   * first time, and after its mark lapsed or the Store lost its data (a restarted Redis without
   * persistence), when the node must register its sessions again.
   */
  nodeAlive(node: string, ttlMs: number): Promise<boolean>;
  /** Nodes holding sessions whose liveness has lapsed. */
  lapsedNodes(): Promise<string[]>;
  /**
   * Takes the sessions of a lapsed node, once: the first caller gets them and the node is
   * forgotten; a node that is alive again keeps them (answers []).
   */
  takeSessions(node: string): Promise<{ app: string; uid: string; sid: string }[]>;

  /** Flushes what is pending and releases resources. */
  close(): Promise<void>;
}

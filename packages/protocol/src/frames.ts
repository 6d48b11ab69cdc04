/**
 * Frame shapes of the `parley.v1` protocol. One JSON object per WebSocket text frame.
 *
 * - A request has `t` (its operation) and `i` (an id chosen by the client, unique among its
 *   pending requests). Every request gets exactly one reply: `ok` or `err` with the same `i`.
 * - `ping` and `ack` are requests without id and without reply (`ping` is answered by `pong`).
 * - A push from the server has `t` and no `i`. Pushes that must survive a reconnect carry
 *   `s`, the session's delivery sequence; the client acknowledges with `ack` (cumulative) and
 *   names the last `s` it saw when it resumes, so the server replays the rest exactly once.
 */

/** A message body: text, or raw bytes (base64 on the wire) with an optional description. */
export type WireMessage = { k: 'T'; x: string } | { k: 'R'; b: string; d?: string };

export type PeerState = 'ONLINE' | 'UNREACHABLE' | 'OFFLINE';

/** Why the server ended a session. */
export type KickReason = 'REMOTE_LOGIN' | 'BANNED_BY_SERVER' | 'TOKEN_EXPIRED';

import type {
  ChannelAttributesResult,
  ChannelPush,
  ChannelReliablePush,
  ChannelRequest,
  ChannelSendResult,
  JoinResult,
  MemberCountResult,
  MembersResult,
  UserAttributesResult,
} from './channel-frames.js';
import type { InvitationRequest, InvitationReliablePush } from './invitation-frames.js';
import type { MetadataWriteResult, WireMetadata } from './metadata-frames.js';
import type { TelephonyRequest } from './telephony-frames.js';

// ---------- client → server ----------

export interface LoginReq {
  t: 'login';
  i: number;
  /** App id. */
  a: string;
  /** User id. */
  u: string;
  /** Token, if any. */
  k?: string;
  /** Resume: the session id and the last delivery sequence the client saw. */
  r?: { sid: string; s: number; c?: Record<string, number> };
}
export interface LogoutReq {
  t: 'logout';
  i: number;
}
export interface RenewReq {
  t: 'renew';
  i: number;
  k: string;
}
export interface PeerSendReq {
  t: 'psend';
  i: number;
  /** Receiver uid. */
  to: string;
  m: WireMessage;
  /** Store for later delivery if the receiver is offline. */
  off?: boolean;
  /** Keep a text message in the history (enableHistoricalMessaging), before the reply. */
  h?: boolean;
}
export interface PresenceQueryReq {
  t: 'pquery';
  i: number;
  ids: string[];
  /** A legacy Signaling query (`user_query_user_status`): on the `signalingQueryRateCount` window. */
  sig?: true;
}
export interface SubscribeReq {
  t: 'psub';
  i: number;
  ids: string[];
}
export interface UnsubscribeReq {
  t: 'punsub';
  i: number;
  ids: string[];
}
export interface SubscribedListReq {
  t: 'plist';
  i: number;
  /** Subscription option; only 'ONLINE_STATUS' exists. */
  o: 'ONLINE_STATUS';
}
export interface PingFrame {
  t: 'ping';
}
export interface AckFrame {
  t: 'ack';
  s: number;
}

export type Request =
  | ChannelRequest
  | TelephonyRequest
  | InvitationRequest
  | LoginReq
  | LogoutReq
  | RenewReq
  | PeerSendReq
  | PresenceQueryReq
  | SubscribeReq
  | UnsubscribeReq
  | SubscribedListReq;
export type ClientFrame = Request | PingFrame | AckFrame;
export type RequestType = Request['t'];

/**
 * A request as a client builds it, before its connection gives it an id: the requests of type
 * `T` (default: every request) without `i`.
 *
 * @example
 * ```ts
 * const body = { t: 'psend', to: 'bob', m: { k: 'T', x: 'hi' } } satisfies RequestBody<'psend'>;
 * ```
 */
export type RequestBody<T extends RequestType = RequestType> = Request extends infer R
  ? R extends { t: infer U }
    ? [U & T] extends [never]
      ? never
      : Omit<R, 'i'>
    : never
  : never;

// ---------- server → client ----------

export interface LoginResult {
  /** Session id, used to resume. */
  sid: string;
  /** Whether an existing session was resumed (false = fresh session). */
  resumed: boolean;
  /** Server time, ms since the epoch. */
  ts: number;
  /** When the token's privilege ends, ms since the epoch; 0 = never. */
  exp: number;
  /** How often the client should ping, ms. */
  hb: number;
  /**
   * After a resume on another node: the channel sequence (`cs`) to continue from per joined
   * channel, since each node numbers a channel's events itself.
   */
  cs?: Record<string, number>;
  /**
   * A fresh session that replaced one whose node died: the call invitations it carries on —
   * the ids of those this user sent (`out`), the caller and id of those it received (`in`).
   * The client keeps these live and ends the others, as after any lost session.
   */
  inv?: KeptInvitations;
}
export interface KeptInvitations {
  out: string[];
  in: { f: string; id: string }[];
}
export interface RenewResult {
  exp: number;
}
export interface PeerSendResult {
  /** The receiver's SDK has the message. */
  recv: boolean;
  /** The message's server id. */
  mid: string;
  /** When the server received it, ms since the epoch. */
  ts: number;
}
export interface PresenceQueryResult {
  st: Record<string, boolean>;
}
export interface SubscribedListResult {
  ids: string[];
}

/**
 * The result (`r` of the `ok` reply) of each request type; `undefined` where the reply has none.
 * A client types what a request resolves with by it, a server what it answers.
 */
export interface RequestResults {
  login: LoginResult;
  logout: undefined;
  renew: RenewResult;
  psend: PeerSendResult;
  pquery: PresenceQueryResult;
  psub: undefined;
  punsub: undefined;
  plist: SubscribedListResult;
  join: JoinResult;
  leave: undefined;
  csend: ChannelSendResult;
  members: MembersResult;
  opts: undefined;
  mcount: MemberCountResult;
  uattr: undefined;
  'uattr.get': UserAttributesResult;
  cattr: undefined;
  'cattr.get': ChannelAttributesResult;
  meta: MetadataWriteResult;
  'meta.get': WireMetadata;
  'meta.sub': undefined;
  'meta.unsub': undefined;
  'inv.send': undefined;
  'inv.cancel': undefined;
  'inv.confirm': undefined;
  'inv.ack': undefined;
  'inv.accept': undefined;
  'inv.refuse': undefined;
  'inv.endcall': undefined;
  'tel.invite': undefined;
  'tel.dtmf': undefined;
  'tel.end': undefined;
}

/**
 * The result of request type `T` (`ResultOf<'join'>` is `JoinResult`). Indexing by every
 * RequestType also makes a request type missing from RequestResults a compile error.
 */
export type ResultOf<T extends RequestType> = RequestResults[T];

export interface OkFrame<R = unknown> {
  t: 'ok';
  i: number;
  r?: R;
}
export interface ErrFrame {
  t: 'err';
  i: number;
  /** The RTM 1.x error code of the API that was called. */
  c: number;
  /** A readable message naming the field and the limit. */
  m: string;
}
export interface PongFrame {
  t: 'pong';
  ts: number;
}
/** A peer message for this client. */
export interface PeerMessagePush {
  t: 'msg';
  s: number;
  mid: string;
  /** Sender uid. */
  f: string;
  m: WireMessage;
  /** serverReceivedTs. */
  ts: number;
  /** Stored while the receiver was offline. */
  off?: 1;
}
/** Presence of subscribed peers (a snapshot after subscribing, then changes). */
export interface PresencePush {
  t: 'pst';
  s: number;
  st: Record<string, PeerState>;
}
/** The token ends soon (at `exp`, ms since the epoch). */
export interface WillExpirePush {
  t: 'exp';
  exp: number;
}
/** The session is over; the socket closes next. */
export interface KickPush {
  t: 'kick';
  why: KickReason;
}
/** The server is going away; reconnect (and resume) shortly. */
export interface ByePush {
  t: 'bye';
}

export type ReliablePush =
  PeerMessagePush | PresencePush | ChannelReliablePush | InvitationReliablePush;
export type ServerFrame =
  | ReliablePush
  | ChannelPush
  | OkFrame
  | ErrFrame
  | PongFrame
  | PeerMessagePush
  | PresencePush
  | WillExpirePush
  | KickPush
  | ByePush;

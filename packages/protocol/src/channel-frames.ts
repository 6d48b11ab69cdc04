/**
 * Frames of channels, channel messages and attributes.
 *
 * Channel events (messages, member joins and leaves, attribute notifications) carry `cs`, the
 * channel's sequence on the serving node: one encoded frame goes to every member, and a member
 * that resumes names the last `cs` it saw per channel so the node replays the rest.
 */
import type { WireMessage } from './frames.js';
import type { ChannelMetadataPush, MetadataRequest, UserMetadataPush } from './metadata-frames.js';

/** An attribute as stored for a channel. */
export interface WireChannelAttribute {
  value: string;
  lastUpdateUserId: string;
  lastUpdateTs: number;
}

export interface JoinReq {
  t: 'join';
  i: number;
  c: string;
  /** Also answer the member list (latest first, at most 200): the legacy Signaling join. */
  list?: boolean;
}
export interface LeaveReq {
  t: 'leave';
  i: number;
  c: string;
}
export interface ChannelSendReq {
  t: 'csend';
  i: number;
  c: string;
  m: WireMessage;
  /** Send without having joined (legacy Signaling `messageChannelSendForce`). */
  force?: boolean;
  /** Keep a text message in the history (enableHistoricalMessaging), before the reply. */
  h?: boolean;
}
/** Per-session options (legacy Signaling semantics). */
export interface SessionOptionsReq {
  t: 'opts';
  i: number;
  /** Channel messages are also delivered to their sender. */
  echo: boolean;
}
export interface MembersReq {
  t: 'members';
  i: number;
  c: string;
  /** A legacy Signaling query (`channel_query_user_isin`, `…_userlist`): on the `signalingQueryRateCount` window. */
  sig?: true;
}
export interface MemberCountReq {
  t: 'mcount';
  i: number;
  ids: string[];
  /**
   * A legacy Signaling query (`invoke('io.agora.signal.channel_query_num')`,
   * `channelQueryUserNum`): Signaling sent each at once, so these are counted on their own,
   * looser window (`signalingQueryRateCount`) instead of RTM's one call a second.
   */
  sig?: true;
}
/** Local user attributes: set (replace all), add (add or update), del (keys), clear. */
export interface UserAttrWriteReq {
  t: 'uattr';
  i: number;
  op: 'set' | 'add' | 'del' | 'clear';
  attrs?: Record<string, string>;
  keys?: string[];
}
export interface UserAttrGetReq {
  t: 'uattr.get';
  i: number;
  u: string;
  keys?: string[];
}
export interface ChannelAttrWriteReq {
  t: 'cattr';
  i: number;
  c: string;
  op: 'set' | 'add' | 'del' | 'clear';
  attrs?: Record<string, string>;
  keys?: string[];
  /** enableNotificationToChannelMembers */
  notify: boolean;
}
export interface ChannelAttrGetReq {
  t: 'cattr.get';
  i: number;
  c: string;
  keys?: string[];
}

export type ChannelRequest =
  | JoinReq
  | LeaveReq
  | ChannelSendReq
  | MembersReq
  | SessionOptionsReq
  | MemberCountReq
  | UserAttrWriteReq
  | UserAttrGetReq
  | ChannelAttrWriteReq
  | ChannelAttrGetReq
  | MetadataRequest;

/** The result of `join`: where the channel's sequence stands, its member count, and the list if asked. */
export interface JoinResult {
  /** The channel sequence of the join: later channel events carry a higher `cs`. */
  cs: number;
  /** Member count right after the join. */
  n: number;
  /** With `list`: members, latest first, at most 200. */
  members?: string[];
}
/** The result of `csend`. */
export interface ChannelSendResult {
  /** When the server received the message, ms since the epoch. */
  ts: number;
}
/** The result of `members`. */
export interface MembersResult {
  ids: string[];
}
/** The result of `mcount`: the count of every channel asked for (0 for an unknown one). */
export interface MemberCountResult {
  counts: Record<string, number>;
}
/** The result of `uattr.get`. */
export interface UserAttributesResult {
  attrs: Record<string, string>;
}
/** The result of `cattr.get`. */
export interface ChannelAttributesResult {
  attrs: Record<string, WireChannelAttribute>;
}

/** A channel message (never sent to its sender). */
export interface ChannelMessagePush {
  t: 'cmsg';
  c: string;
  cs: number;
  f: string;
  m: WireMessage;
  ts: number;
}
export interface MemberJoinedPush {
  t: 'mjoin';
  c: string;
  cs: number;
  u: string;
}
export interface MemberLeftPush {
  t: 'mleft';
  c: string;
  cs: number;
  u: string;
}
/** Every attribute of the channel, after a change made with notification on. */
export interface ChannelAttributesPush {
  t: 'cattrs';
  c: string;
  cs: number;
  attrs: Record<string, WireChannelAttribute>;
}
/** MemberCountUpdated (not sequenced: only the latest count matters). */
export interface MemberCountPush {
  t: 'ccount';
  c: string;
  n: number;
}

export type ChannelEventPush =
  | ChannelMessagePush
  | MemberJoinedPush
  | MemberLeftPush
  | ChannelAttributesPush
  | ChannelMetadataPush;
export type ChannelPush = ChannelEventPush | MemberCountPush;

/** Pushes of this family that carry the session sequence `s` (channel events use `cs`). */
export type ChannelReliablePush = UserMetadataPush;

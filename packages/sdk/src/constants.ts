/**
 * The constants of agora-rtm-sdk 1.6.0's default export: the `RtmStatusCode` enums, the log
 * filters, `VERSION`, `BUILD` and `END_CALL_PREFIX`.
 *
 * The enums are real `enum`s with the same names and members as agora-rtm-sdk's: TypeScript
 * relates string enums only to same-named enums with the same members, so this is what lets
 * `AgoraRTM.ConnectionState` (and each value) type-check where agora-rtm-sdk's is expected.
 * Each enum object is frozen.
 */

/** Why the connection state changed (second argument of `ConnectionStateChanged`). */
export enum ConnectionChangeReason {
  LOGIN = 'LOGIN',
  LOGIN_SUCCESS = 'LOGIN_SUCCESS',
  LOGIN_FAILURE = 'LOGIN_FAILURE',
  LOGIN_TIMEOUT = 'LOGIN_TIMEOUT',
  INTERRUPTED = 'INTERRUPTED',
  LOGOUT = 'LOGOUT',
  BANNED_BY_SERVER = 'BANNED_BY_SERVER',
  REMOTE_LOGIN = 'REMOTE_LOGIN',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
}
Object.freeze(ConnectionChangeReason);

export enum ConnectionState {
  DISCONNECTED = 'DISCONNECTED',
  CONNECTING = 'CONNECTING',
  CONNECTED = 'CONNECTED',
  RECONNECTING = 'RECONNECTING',
  ABORTED = 'ABORTED',
}
Object.freeze(ConnectionState);

/** State of a call invitation, on the caller's side. */
export enum LocalInvitationState {
  IDLE = 'IDLE',
  SENT_TO_REMOTE = 'SENT_TO_REMOTE',
  RECEIVED_BY_REMOTE = 'RECEIVED_BY_REMOTE',
  ACCEPTED_BY_REMOTE = 'ACCEPTED_BY_REMOTE',
  REFUSED_BY_REMOTE = 'REFUSED_BY_REMOTE',
  CANCELED = 'CANCELED',
  FAILURE = 'FAILURE',
}
Object.freeze(LocalInvitationState);

/** State of a call invitation, on the callee's side (no IDLE on the web). */
export enum RemoteInvitationState {
  INVITATION_RECEIVED = 'INVITATION_RECEIVED',
  ACCEPT_SENT_TO_LOCAL = 'ACCEPT_SENT_TO_LOCAL',
  REFUSED = 'REFUSED',
  ACCEPTED = 'ACCEPTED',
  CANCELED = 'CANCELED',
  FAILURE = 'FAILURE',
}
Object.freeze(RemoteInvitationState);

/** Argument of `LocalInvitationFailure`. */
export enum LocalInvitationFailureReason {
  UNKNOWN = 'UNKNOWN',
  PEER_NO_RESPONSE = 'PEER_NO_RESPONSE',
  INVITATION_EXPIRE = 'INVITATION_EXPIRE',
  PEER_OFFLINE = 'PEER_OFFLINE',
  NOT_LOGGEDIN = 'NOT_LOGGEDIN',
}
Object.freeze(LocalInvitationFailureReason);

/** Argument of `RemoteInvitationFailure`. */
export enum RemoteInvitationFailureReason {
  UNKNOWN = 'UNKNOWN',
  PEER_OFFLINE = 'PEER_OFFLINE',
  ACCEPT_FAILURE = 'ACCEPT_FAILURE',
  INVITATION_EXPIRE = 'INVITATION_EXPIRE',
}
Object.freeze(RemoteInvitationFailureReason);

/** A peer's state in `PeersOnlineStatusChanged`; UNREACHABLE is only reported to subscribers. */
export enum PeerOnlineState {
  ONLINE = 'ONLINE',
  UNREACHABLE = 'UNREACHABLE',
  OFFLINE = 'OFFLINE',
}
Object.freeze(PeerOnlineState);

export enum PeerSubscriptionOption {
  ONLINE_STATUS = 'ONLINE_STATUS',
}
Object.freeze(PeerSubscriptionOption);

export enum MessageType {
  TEXT = 'TEXT',
  RAW = 'RAW',
}
Object.freeze(MessageType);

/** Area codes of older SDKs; declared by agora-rtm-sdk 1.6.0 but not on its default export. */
export enum LegacyAreaCode {
  CN = 'CN',
  NA = 'NA',
  EU = 'EU',
  AS = 'AS',
  JP = 'JP',
  IN = 'IN',
  GLOB = 'GLOB',
  OC = 'OC',
  SA = 'SA',
  AF = 'AF',
  OVS = 'OVS',
}
Object.freeze(LegacyAreaCode);

/** Areas for `AgoraRTM.setArea`; they mean nothing to a self-hosted server. */
export enum AreaCode {
  GLOBAL = 'GLOBAL',
  INDIA = 'INDIA',
  JAPAN = 'JAPAN',
  ASIA = 'ASIA',
  EUROPE = 'EUROPE',
  CHINA = 'CHINA',
  NORTH_AMERICA = 'NORTH_AMERICA',
}
Object.freeze(AreaCode);

/** Which log levels an `RtmClient` prints (`RtmConfig.logFilter`); one of the LOG_FILTER_* values. */
export type LogFilterType = {
  error: boolean;
  warn: boolean;
  info: boolean;
  track: boolean;
  debug: boolean;
};

/** No log output. */
export const LOG_FILTER_OFF: LogFilterType = Object.freeze({
  error: false,
  warn: false,
  info: false,
  track: false,
  debug: false,
});
/** Errors only. */
export const LOG_FILTER_ERROR: LogFilterType = Object.freeze({
  error: true,
  warn: false,
  info: false,
  track: false,
  debug: false,
});
/** Errors and warnings. */
export const LOG_FILTER_WARNING: LogFilterType = Object.freeze({
  error: true,
  warn: true,
  info: false,
  track: false,
  debug: false,
});
/** Errors, warnings and information (the default). */
export const LOG_FILTER_INFO: LogFilterType = Object.freeze({
  error: true,
  warn: true,
  info: true,
  track: false,
  debug: false,
});
/** Everything; exported at runtime by agora-rtm-sdk 1.6.0 though its typings comment it out. */
export const LOG_FILTER_DEBUG: LogFilterType = Object.freeze({
  error: true,
  warn: true,
  info: true,
  track: true,
  debug: true,
});

/**
 * The agora-rtm-sdk API level this SDK implements, in that SDK's plain `x.y.z` shape so that
 * version checks apps make on it (semver, or splitting on dots) still pass.
 */
export const VERSION = '1.6.0';

/** Which build this is: Parley's own version (agora-rtm-sdk puts a `git describe` here). */
export const BUILD = 'parley-0.1.0';

/**
 * A text peer message `<prefix>_<channelId>_<extra>` ends a call of the legacy Signaling SDK;
 * the RTM SDK turns it into a canceled remote invitation.
 */
export const END_CALL_PREFIX = 'AgoraRTMLegacyEndcallCompatibleMessagePrefix';

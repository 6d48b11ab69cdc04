/**
 * RTM 1.x error codes as data, shared by the server (which answers with them) and the SDK
 * (which rejects with them).
 *
 * One table per error enum of the agora-rtm-sdk 1.x web SDK, with the web numbers and the web
 * constant names minus their prefix (`LOGIN_ERR_TOO_OFTEN` → `LoginError.TOO_OFTEN`). Numbers
 * and sources: shared/research/rtm-semantics.md §1. `ErrorTables` names the table of each API;
 * `errorName` says which web SDK error class (`RtmTimeoutError`, …) carries a code.
 *
 * @example
 * ```ts
 * reply({ t: 'err', c: JoinChannelError.EXCEED_LIMIT, m: 'join: already in 20 channels' });
 * errorName('join', JoinChannelError.EXCEED_LIMIT); // 'RtmLimitExceededError'
 * ```
 */

/** `AgoraRTM.createInstance`. */
export const CreateInstanceError = {
  INVALID_ARGUMENT: 1,
} as const;

/** `RtmClient.createChannel`. */
export const CreateChannelError = {
  INVALID_ARGUMENT: 1,
} as const;

/** `RtmClient.login`. */
export const LoginError = {
  UNKNOWN: 1,
  REJECTED: 2,
  INVALID_ARGUMENT: 3,
  INVALID_APP_ID: 4,
  INVALID_TOKEN: 5,
  TOKEN_EXPIRED: 6,
  NOT_AUTHORIZED: 7,
  /** Logging in, logged in, or ABORTED without a logout since. */
  ALREADY_LOGIN: 8,
  TIMEOUT: 9,
  TOO_OFTEN: 10,
  /** `logout()` was called while the login was pending. */
  ABORTED_BY_LOGOUT: 201,
} as const;

/** `RtmClient.logout`. */
export const LogoutError = {
  /** Native SDKs only (the web SDK has no failure code for logout); Parley's logout request uses it. */
  REJECTED: 1,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmClient.renewToken`. */
export const RenewTokenError = {
  FAILURE: 1,
  INVALID_ARGUMENT: 2,
  REJECTED: 3,
  TOO_OFTEN: 4,
  TOKEN_EXPIRED: 5,
  INVALID_TOKEN: 6,
  USER_NOT_LOGGED_IN: 102,
  ABORTED_BY_LOGOUT: 201,
} as const;

/** `RtmClient.sendMessageToPeer`. An offline peer is not an error: it resolves `hasPeerReceived: false`. */
export const PeerMessageError = {
  FAILURE: 1,
  TIMEOUT: 2,
  TOO_OFTEN: 5,
  INVALID_USERID: 6,
  /** Empty, malformed, or over 32 KB. */
  INVALID_MESSAGE: 7,
  INCOMPATIBLE_MESSAGE: 8,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmChannel.join`. */
export const JoinChannelError = {
  FAILURE: 1,
  REJECTED: 2,
  INVALID_ARGUMENT: 3,
  /** Web: `JOIN_CHANNEL_TIMEOUT`, the one constant without `_ERR_`. */
  TIMEOUT: 4,
  /** Already in 20 channels. */
  EXCEED_LIMIT: 5,
  ALREADY_JOINED: 6,
  /** More than 50 joins in 3 s. */
  TOO_OFTEN: 7,
  /** The same channel more than twice in 5 s. */
  JOIN_SAME_CHANNEL_TOO_OFTEN: 8,
  USER_NOT_LOGGED_IN: 102,
  /** `leave()` was called while the join was pending. */
  ABORTED_BY_LEAVE: 201,
  /** Another `RtmChannel` instance of the same id has joined. */
  ALREADY_JOINED_CHANNEL_OF_SAME_ID: 202,
} as const;

/** `RtmChannel.leave`. */
export const LeaveChannelError = {
  FAILURE: 1,
  REJECTED: 2,
  NOT_IN_CHANNEL: 3,
  KICKED: 4,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmChannel.sendMessage`. */
export const ChannelMessageError = {
  FAILURE: 1,
  TIMEOUT: 2,
  TOO_OFTEN: 3,
  INVALID_MESSAGE: 4,
  NOT_IN_CHANNEL: 5,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmChannel.getMembers`. */
export const GetMembersError = {
  FAILURE: 1,
  REJECTED: 2,
  TIMEOUT: 3,
  TOO_OFTEN: 4,
  NOT_IN_CHANNEL: 5,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmClient.queryPeersOnlineStatus` (the web SDK has no FAILURE here). */
export const QueryPeersOnlineStatusError = {
  /** Empty list, a bad id, or more than 256 ids. */
  INVALID_ARGUMENT: 2,
  REJECTED: 3,
  TIMEOUT: 4,
  TOO_OFTEN: 5,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmClient.subscribePeersOnlineStatus` and `unsubscribePeersOnlineStatus`. */
export const PeerSubscriptionStatusError = {
  FAILURE: 1,
  INVALID_ARGUMENT: 2,
  REJECTED: 3,
  TIMEOUT: 4,
  TOO_OFTEN: 5,
  /** The subscription list would exceed 512 peers. */
  OVERFLOW: 6,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmClient.queryPeersBySubscriptionOption`. */
export const QueryPeersBySubscriptionOptionError = {
  FAILURE: 1,
  TIMEOUT: 2,
  TOO_OFTEN: 3,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `RtmClient.getChannelMemberCount`. */
export const GetChannelMemberCountError = {
  FAILURE: 1,
  INVALID_ARGUMENT: 2,
  TOO_OFTEN: 3,
  TIMEOUT: 4,
  /** More than 32 channel ids in one call. */
  EXCEED_LIMIT: 5,
  NOT_INITIALIZED: 101,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** User and channel attribute operations (`setLocalUserAttributes`, `getChannelAttributes`, …). */
export const AttributeOperationError = {
  FAILURE: 2,
  INVALID_ARGUMENT: 3,
  /** Too many attributes, a value over 8 KB, or a total over the limit. */
  SIZE_OVERFLOW: 4,
  TOO_OFTEN: 5,
  /** The user whose attributes were asked for is offline or does not exist. */
  USER_NOT_FOUND: 6,
  TIMEOUT: 7,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** User and channel metadata operations (`setLocalUserMetadata`, `setChannelMetadata`, …). */
export const MetadataOperationError = {
  FAILURE: 1,
  INVALID_USER_ID: 2,
  INVALID_ARGUMENT: 3,
  SIZE_OVERFLOW: 4,
  DUPLICATE_KEY: 5,
  TOO_OFTEN: 6,
  TIMEOUT: 7,
  /** A compare-and-set revision did not match. */
  OUTDATE_REVISION: 8,
  NOT_IN_CHANNEL: 9,
  NOT_INITIALIZED: 101,
  USER_NOT_LOGGED_IN: 102,
} as const;

/** `subscribeUserMetadata` / `unsubscribeUserMetadata`. Web spells 102 `NOT_LOGGED_IN` here. */
export const MetadataSubscriptionError = {
  FAILURE: 1,
  TIMEOUT: 2,
  INVALID_ARGUMENT: 3,
  TOO_OFTEN: 4,
  OVERFLOW: 5,
  NOT_INITIALIZED: 101,
  NOT_LOGGED_IN: 102,
} as const;

/** Misuse of a LocalInvitation / RemoteInvitation method; thrown synchronously. */
export const InvitationApiCallError = {
  /** E.g. content or response over 8 KB. */
  INVALID_ARGUMENT: 1,
  NOT_STARTED: 2,
  /** Accepted, refused, canceled or failed already. */
  ALREADY_END: 3,
  ALREADY_ACCEPT: 4,
  ALREADY_SENT: 5,
} as const;

/** Every API's "the client is not logged in" code (102 in each table that has one). */
export const USER_NOT_LOGGED_IN = 102;

/**
 * Codes of `err` replies to invitation requests (`inv.*`) other than misuse: the request may be
 * sent again (the SDK does, and reports the invitation's failure when it gives up). The SDK
 * fails an invitation request that got no answer (it timed out, or the connection dropped
 * first) with TRY_AGAIN too, so both are retried alike. Not in ErrorTables: no RTM API hands
 * these to the app, which sees a LocalInvitationFailureReason instead.
 */
export const InvitationRequestError = {
  /** The server could not complete it now (its shared store was unreachable, or it failed). */
  TRY_AGAIN: 0,
} as const;

/** The `name` of every error class the web SDK throws. */
export type RtmErrorName =
  | 'RtmInvalidArgumentError'
  | 'RtmInvalidStatusError'
  | 'RtmTimeoutError'
  | 'RtmLimitExceededError'
  | 'RtmInvokeTooOftenError'
  | 'RtmUnavailableError'
  | 'RtmUnauthenticatedError'
  | 'RtmUnknownError'
  | 'RtmInternalError';

/** The error table of each API (method or group of methods). */
export const ErrorTables = {
  createInstance: CreateInstanceError,
  createChannel: CreateChannelError,
  login: LoginError,
  logout: LogoutError,
  renewToken: RenewTokenError,
  sendMessageToPeer: PeerMessageError,
  join: JoinChannelError,
  leave: LeaveChannelError,
  sendMessage: ChannelMessageError,
  getMembers: GetMembersError,
  queryPeersOnlineStatus: QueryPeersOnlineStatusError,
  subscribePeersOnlineStatus: PeerSubscriptionStatusError,
  unsubscribePeersOnlineStatus: PeerSubscriptionStatusError,
  queryPeersBySubscriptionOption: QueryPeersBySubscriptionOptionError,
  getChannelMemberCount: GetChannelMemberCountError,
  attributes: AttributeOperationError,
  metadata: MetadataOperationError,
  metadataSubscription: MetadataSubscriptionError,
  invitation: InvitationApiCallError,
} as const;

export type ApiName = keyof typeof ErrorTables;

type Tables = typeof ErrorTables;
/** Every key that occurs in some table. */
type ErrorKey = { [A in ApiName]: keyof Tables[A] }[ApiName];

/**
 * The class for each key, as the web SDK 1.6.0 throws it. Server-reported failures
 * (FAILURE, UNKNOWN, REJECTED, USER_NOT_FOUND, …) are `RtmUnavailableError` there; message
 * size and rate overflows are `RtmLimitExceededError`.
 */
const NAME_BY_KEY: Readonly<Record<ErrorKey, RtmErrorName>> = {
  INVALID_ARGUMENT: 'RtmInvalidArgumentError',
  INVALID_USERID: 'RtmInvalidArgumentError',
  INVALID_USER_ID: 'RtmInvalidArgumentError',
  INVALID_MESSAGE: 'RtmInvalidArgumentError',
  DUPLICATE_KEY: 'RtmInvalidArgumentError',

  INVALID_APP_ID: 'RtmUnauthenticatedError',
  INVALID_TOKEN: 'RtmUnauthenticatedError',
  TOKEN_EXPIRED: 'RtmUnauthenticatedError',
  NOT_AUTHORIZED: 'RtmUnauthenticatedError',

  TIMEOUT: 'RtmTimeoutError',

  TOO_OFTEN: 'RtmLimitExceededError',
  JOIN_SAME_CHANNEL_TOO_OFTEN: 'RtmLimitExceededError',
  SIZE_OVERFLOW: 'RtmLimitExceededError',
  EXCEED_LIMIT: 'RtmLimitExceededError',
  OVERFLOW: 'RtmLimitExceededError',

  USER_NOT_LOGGED_IN: 'RtmInvalidStatusError',
  NOT_LOGGED_IN: 'RtmInvalidStatusError',
  NOT_INITIALIZED: 'RtmInvalidStatusError',
  NOT_IN_CHANNEL: 'RtmInvalidStatusError',
  ALREADY_LOGIN: 'RtmInvalidStatusError',
  ALREADY_JOINED: 'RtmInvalidStatusError',
  ALREADY_JOINED_CHANNEL_OF_SAME_ID: 'RtmInvalidStatusError',
  ABORTED_BY_LOGOUT: 'RtmInvalidStatusError',
  ABORTED_BY_LEAVE: 'RtmInvalidStatusError',
  KICKED: 'RtmInvalidStatusError',
  NOT_STARTED: 'RtmInvalidStatusError',
  ALREADY_END: 'RtmInvalidStatusError',
  ALREADY_ACCEPT: 'RtmInvalidStatusError',
  ALREADY_SENT: 'RtmInvalidStatusError',

  FAILURE: 'RtmUnavailableError',
  UNKNOWN: 'RtmUnavailableError',
  REJECTED: 'RtmUnavailableError',
  USER_NOT_FOUND: 'RtmUnavailableError',
  OUTDATE_REVISION: 'RtmUnavailableError',
  INCOMPATIBLE_MESSAGE: 'RtmUnavailableError',
};

/** Where one API's class differs from NAME_BY_KEY in the web SDK. */
const NAME_OVERRIDES: { readonly [A in ApiName]?: Partial<Record<keyof Tables[A], RtmErrorName>> } =
  {
    // The web SDK's only RtmInvokeTooOftenError: login more often than 2 per second.
    login: { TOO_OFTEN: 'RtmInvokeTooOftenError' },
    // Same client-side per-second limit as login (the web SDK never raises this code itself).
    renewToken: { TOO_OFTEN: 'RtmInvokeTooOftenError' },
    // More than 32 ids is an argument check on the web, not a quota.
    getChannelMemberCount: { EXCEED_LIMIT: 'RtmInvalidArgumentError' },
    // These wrap unexpected failures as RtmUnknownError on the web; its one GET_MEMBERS REJECTED
    // is "not logged in", an RtmInvalidStatusError.
    leave: { FAILURE: 'RtmUnknownError' },
    sendMessage: { FAILURE: 'RtmUnknownError' },
    getMembers: { FAILURE: 'RtmUnknownError', REJECTED: 'RtmInvalidStatusError' },
  };

/** The key of `code` in `api`'s table (`errorKey('login', 8) === 'ALREADY_LOGIN'`), if any. */
export function errorKey(api: ApiName, code: number): string | undefined {
  for (const [key, value] of Object.entries(ErrorTables[api])) if (value === code) return key;
  return undefined;
}

/** The web SDK's error class name for `code` of `api`; `RtmUnknownError` for a code not in its table. */
export function errorName(api: ApiName, code: number): RtmErrorName {
  const key = errorKey(api, code);
  if (key === undefined) return 'RtmUnknownError';
  const overrides: Readonly<Record<string, RtmErrorName | undefined>> = NAME_OVERRIDES[api] ?? {};
  return overrides[key] ?? NAME_BY_KEY[key as ErrorKey];
}

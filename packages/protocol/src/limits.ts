/**
 * Every client-visible limit of the wire protocol, in one place, with its unit in its name.
 * Numbers come from Agora RTM 1.x (see shared/research/rtm-semantics.md §3) and SPEC's decisions.
 */
export const Limits = {
  /** uid and channel id: 1–64 bytes of the RTM character set, never the string "null". */
  maxIdBytes: 64,
  /** Text message, or raw bytes + description, in UTF-8 bytes. */
  maxMessageBytes: 32 * 1024,
  /** Ids per `queryPeersOnlineStatus` call. */
  maxQueryPeers: 256,
  /** Peers one client may be subscribed to, in total and per call. */
  maxSubscriptions: 512,
  /** `queryPeersOnlineStatus` calls per window. */
  queryRateCount: 10,
  queryRateWindowMs: 5000,
  /** subscribe / unsubscribe / queryPeersBySubscriptionOption calls per window, each. */
  subscribeRateCount: 10,
  subscribeRateWindowMs: 5000,
  /** login and renewToken calls per second (enforced by the SDK, as in the web SDK). */
  loginRatePerSecond: 2,
  /** Channels one client may have joined. */
  maxJoinedChannels: 20,
  /** Joins per window, any channel; and of one channel. */
  joinRateCount: 50,
  joinRateWindowMs: 3000,
  sameChannelJoinRateCount: 2,
  sameChannelJoinRateWindowMs: 5000,
  /** Above this many members, MemberJoined / MemberLeft are not sent and getMembers samples. */
  maxMemberEvents: 512,
  /** Members listed with a legacy Signaling join (`onChannelUserList`). */
  maxJoinMemberList: 200,
  /** `getMembers` calls per window. */
  getMembersRateCount: 5,
  getMembersRateWindowMs: 2000,
  /** MemberCountUpdated goes out at most this often per channel; above maxMemberEvents, the second. */
  memberCountIntervalMs: 1000,
  largeChannelCountIntervalMs: 3000,
  /** Channel ids per `getChannelMemberCount` call, and calls per second. */
  maxMemberCountChannels: 32,
  memberCountRatePerSecond: 1,
  /**
   * Legacy Signaling member-count queries (`sig` on `mcount`) per window: Signaling answered
   * each at once with no client rate; this only stops abuse.
   */
  signalingQueryRateCount: 50,
  signalingQueryRateWindowMs: 1000,
  /** Attribute key and value sizes, in UTF-8 bytes. */
  maxAttributeKeyBytes: 32,
  maxAttributeValueBytes: 8 * 1024,
  /** User attributes: count and total bytes (keys + values). */
  maxUserAttributes: 32,
  maxUserAttributesBytes: 16 * 1024,
  /** Channel attributes: count and total bytes (keys + values). */
  maxChannelAttributes: 32,
  maxChannelAttributesBytes: 32 * 1024,
  /** Attribute writes and reads per window (user and channel each). */
  attributeWriteRateCount: 10,
  attributeRateWindowMs: 5000,
  userAttributeReadRateCount: 40,
  channelAttributeReadRateCount: 10,
  /** Metadata (user or channel): items, key and value sizes, total bytes. */
  maxMetadataItems: 32,
  maxMetadataKeyBytes: 32,
  maxMetadataValueBytes: 8 * 1024,
  maxMetadataBytes: 32 * 1024,
  /** Metadata writes per window, and users whose metadata one client may follow. */
  metadataWriteRateCount: 10,
  metadataRateWindowMs: 5000,
  maxMetadataSubscriptions: 512,
  /** Telephony requests (phone invitations, DTMF) per client per window. */
  telephonyRateCount: 20,
  telephonyRateWindowMs: 5000,
  /** Largest inbound WebSocket frame the server accepts, in bytes. */
  maxFrameBytes: 128 * 1024,
  /** App id length (any printable ASCII, as in Agora: 32 hex chars usually). */
  maxAppIdBytes: 64,
  /** Largest token accepted, in bytes. */
  maxTokenBytes: 2048,
} as const;

/** The WebSocket subprotocol of this protocol version. */
export const SUBPROTOCOL = 'parley.v1';

/**
 * `parley.v1` with the login in the upgrade: a client offers this subprotocol before
 * `parley.v1` and puts its login frame in the URL's `EARLY_LOGIN_PARAM` (JSON, base64url). A
 * server that picks it has taken the login from the URL and answers it right behind the 101,
 * so the client sends no login frame; a server that picks `parley.v1` (an older one) waits for
 * the login frame as before.
 */
export const SUBPROTOCOL_EARLY_LOGIN = 'parley.v1.early-login';
export const EARLY_LOGIN_PARAM = 'login';

/** WebSocket close codes the server uses. */
export const CloseCode = {
  /** Normal end after logout. */
  NORMAL: 1000,
  /** The server is shutting down; reconnect (maybe elsewhere). */
  GOING_AWAY: 1001,
  /** Too many connections (in all or from one address): try again later. */
  TRY_AGAIN_LATER: 1013,
  /** A frame that is not a valid protocol frame. */
  BAD_FRAME: 4400,
  /** No login within the handshake timeout. */
  LOGIN_TIMEOUT: 4408,
  /** The client did not read: more than the server's socket buffer limit waited to be sent. A drop: resume. */
  SOCKET_BUFFER_FULL: 4413,
  /** Session ended by the server (kick, remote login, token expiry). */
  KICKED: 4409,
} as const;

/**
 * RtmClient: the agora-rtm-sdk 1.x client. Peer messages, presence, login state and tokens;
 * the socket work is the Connection's.
 */
import {
  CreateChannelError,
  GetChannelMemberCountError,
  ID_RULE,
  isValidId,
  Limits,
  LoginError,
  PeerMessageError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  RenewTokenError,
  type PeerMessagePush,
  type PeerSendResult,
  type PeerState,
  type PresenceQueryResult,
  type ReliablePush,
  type SubscribedListResult,
} from '@parley/protocol';
import { Connection, type Reason, type State } from './connection.js';
import {
  ConnectionChangeReason,
  ConnectionState,
  END_CALL_PREFIX,
  PeerOnlineState,
  type LogFilterType,
} from './constants.js';
import { EventEmitter } from './emitter.js';
import { createRtmError } from './errors.js';
import {
  createMessage,
  fromWire,
  toWire,
  type ReceivedMessageProperties,
  type RtmMessage,
  type SendMessageOptions,
} from './message.js';
import { RecentIds } from './recent-ids.js';
import type { ClientFeature } from './feature.js';
import type { LocalInvitation, RemoteInvitation } from './invitation.js';
import { Invitations } from './invitations.js';
import {
  readChannelAttributes,
  readUserAttributes,
  writeChannelAttributes,
  writeUserAttributes,
  type AttributesMap,
  type ChannelAttributeOptions,
  type ChannelAttributes,
} from './attributes.js';
import type { RtmChannel } from './channel.js';
import { Channels } from './channels.js';
import { registerInternals } from './extensions.js';
import {
  metadataFromWire,
  readMetadata,
  RtmMetadataItem,
  subscribeMetadata,
  writeMetadata,
  type RtmMetadata,
  type RtmMetadataOptions,
} from './metadata.js';

export interface PeerMessageSendResult {
  hasPeerReceived: boolean;
}
export interface PeersOnlineStatusResult {
  [peerId: string]: boolean;
}
export interface PeersOnlineStatusMap {
  [peerId: string]: PeerOnlineState;
}

/** `createInstance` options: agora-rtm-sdk's RtmConfig plus where the Parley server is. */
export interface RtmConfig {
  enableLogUpload?: boolean;
  logFilter?: LogFilterType;
  enableCloudProxy?: boolean;
  /**
   * The Parley server's base URL (`ws://`, `wss://`, `http://`, `https://`), or a list tried
   * in order. In a page served by the server it defaults to the page's origin.
   */
  serverUrl?: string | string[];
  /** Login deadline (default 12 000 ms, as the web SDK). */
  loginTimeoutMs?: number;
  /** Deadline of every other request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Reconnect backoff: full jitter between 0 and min(max, base · 2^attempt). */
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
}

export interface RtmClientEvents {
  MessageFromPeer: (
    message: RtmMessage,
    peerId: string,
    messageProps: ReceivedMessageProperties,
  ) => void;
  ConnectionStateChanged: (newState: ConnectionState, reason: ConnectionChangeReason) => void;
  RemoteInvitationReceived: (remoteInvitation: RemoteInvitation) => void;
  ChannelMetaDataUpdated: (data: RtmMetadata) => void;
  UserMetaDataUpdated: (uid: string, data: RtmMetadata) => void;
  TokenExpired: () => void;
  TokenPrivilegeWillExpire: () => void;
  BannedByServer: () => void;
  PeersOnlineStatusChanged: (status: PeersOnlineStatusMap) => void;
  FallbackProxyConnected: () => void;
}

const DEDUP_CAPACITY = 4096;

function defaultServerUrl(): string[] {
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (loc && /^https?:$/.test(loc.protocol))
    return [`${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/`];
  return [];
}

export class RtmClient extends EventEmitter<RtmClientEvents> {
  /** @internal */
  protected readonly connection: Connection;
  private config: RtmConfig;
  private readonly subscribed = new Set<string>();
  private readonly seenMessages = new RecentIds(DEDUP_CAPACITY);
  private readonly loginCalls: number[] = [];
  private readonly renewCalls: number[] = [];
  /** @internal */
  protected readonly invitations: Invitations;
  /** @internal */
  protected readonly channels: Channels;
  /** The local user's attributes as last set, re-sent when the server lost the session. */
  private localAttributes: AttributesMap = {};
  private readonly features: ClientFeature[] = [];
  private readonly featureByPush = new Map<string, ClientFeature>();
  private readonly featureByEvent = new Map<string, ClientFeature>();

  constructor(
    readonly appId: string,
    config: RtmConfig = {},
  ) {
    super();
    this.config = { ...config };
    const urls =
      config.serverUrl === undefined
        ? defaultServerUrl()
        : ([] as string[]).concat(config.serverUrl);
    if (urls.length === 0)
      throw createRtmError(
        'createInstance',
        1,
        'config.serverUrl: the Parley server URL is required outside a page served by Parley',
      );
    this.connection = new Connection(
      {
        urls,
        appId,
        loginTimeoutMs: config.loginTimeoutMs ?? 12_000,
        requestTimeoutMs: config.requestTimeoutMs ?? 10_000,
        reconnectBaseDelayMs: config.reconnectBaseDelayMs ?? 300,
        reconnectMaxDelayMs: config.reconnectMaxDelayMs ?? 4_000,
      },
      {
        state: (s, r) => this.onState(s, r),
        push: (f) => this.onPush(f),
        willExpire: () => this.emit('TokenPrivilegeWillExpire'),
        tokenExpired: () => this.emit('TokenExpired'),
        banned: () => this.emit('BannedByServer'),
        sessionRenewed: () => this.restore(),
        event: (f) => this.featureByEvent.get(f.t)?.onEvent?.(f),
        channelSequences: (cs) => {
          for (const f of this.features) f.channelSequences?.(cs);
        },
        resumeCursor: () => {
          const cursor: Record<string, number> = {};
          for (const f of this.features) Object.assign(cursor, f.resumeCursor?.());
          return cursor;
        },
      },
    );
    this.invitations = new Invitations(this.connection, (inv) =>
      this.emit('RemoteInvitationReceived', inv),
    );
    this.addFeature(this.invitations);
    this.channels = new Channels(this.connection, (data) =>
      this.emit('ChannelMetaDataUpdated', data),
    );
    this.addFeature(this.channels);
    registerInternals(this, { connection: this.connection, channels: this.channels });
  }

  /** @internal Plugs a feature into pushes and lifecycle. */
  protected addFeature(feature: ClientFeature): void {
    this.features.push(feature);
    for (const t of feature.pushes) this.featureByPush.set(t, feature);
    for (const t of feature.events ?? []) this.featureByEvent.set(t, feature);
  }

  /** Creates an RtmChannel; `join()` it to take part. */
  createChannel(channelId: string): RtmChannel {
    if (!isValidId(channelId))
      throw createRtmError(
        'createChannel',
        CreateChannelError.INVALID_ARGUMENT,
        `channelId: must be ${ID_RULE}`,
      );
    return this.channels.create(channelId);
  }

  /** Member counts of up to 32 channels, joined or not (0 for an unknown channel). */
  async getChannelMemberCount(channelIds: string[]): Promise<{ [channelId: string]: number }> {
    const r = await this.connection.request<{ counts: Record<string, number> }>(
      'getChannelMemberCount',
      'RtmClient.getChannelMemberCount',
      { t: 'mcount', ids: channelIds },
      GetChannelMemberCountError.TIMEOUT,
    );
    return r.counts;
  }

  async setLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    await writeUserAttributes(this.connection, 'setLocalUserAttributes', 'set', attributes);
    this.localAttributes = { ...attributes };
  }

  async addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    await writeUserAttributes(this.connection, 'addOrUpdateLocalUserAttributes', 'add', attributes);
    this.localAttributes = { ...this.localAttributes, ...attributes };
  }

  async deleteLocalUserAttributesByKeys(attributeKeys: string[]): Promise<void> {
    await writeUserAttributes(
      this.connection,
      'deleteLocalUserAttributesByKeys',
      'del',
      undefined,
      attributeKeys,
    );
    for (const k of attributeKeys) delete this.localAttributes[k];
  }

  async clearLocalUserAttributes(): Promise<void> {
    await writeUserAttributes(this.connection, 'clearLocalUserAttributes', 'clear');
    this.localAttributes = {};
  }

  getUserAttributes(userId: string): Promise<AttributesMap> {
    return readUserAttributes(this.connection, 'getUserAttributes', userId);
  }

  getUserAttributesByKeys(userId: string, attributeKeys: string[]): Promise<AttributesMap> {
    return readUserAttributes(this.connection, 'getUserAttributesByKeys', userId, attributeKeys);
  }

  setChannelAttributes(
    channelId: string,
    attributes: AttributesMap,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    return writeChannelAttributes(
      this.connection,
      'setChannelAttributes',
      channelId,
      'set',
      options,
      attributes,
    );
  }

  addOrUpdateChannelAttributes(
    channelId: string,
    attributes: AttributesMap,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    return writeChannelAttributes(
      this.connection,
      'addOrUpdateChannelAttributes',
      channelId,
      'add',
      options,
      attributes,
    );
  }

  deleteChannelAttributesByKeys(
    channelId: string,
    attributeKeys: string[],
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    return writeChannelAttributes(
      this.connection,
      'deleteChannelAttributesByKeys',
      channelId,
      'del',
      options,
      undefined,
      attributeKeys,
    );
  }

  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    return writeChannelAttributes(
      this.connection,
      'clearChannelAttributes',
      channelId,
      'clear',
      options,
    );
  }

  getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    return readChannelAttributes(this.connection, 'getChannelAttributes', channelId);
  }

  getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes> {
    return readChannelAttributes(this.connection, 'getChannelAttributesByKeys', channelId, keys);
  }

  createMetadataItem(): RtmMetadataItem {
    return new RtmMetadataItem();
  }

  getUserMetadata(uid: string): Promise<RtmMetadata> {
    return readMetadata(this.connection, 'RtmClient.getUserMetadata', 'u', uid);
  }

  /** Adds or updates items (a revision other than -1 must match the stored one). */
  setLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return writeMetadata(this.connection, 'RtmClient.setLocalUserMetadata', 'set', items, options);
  }

  /** Adds items; fails with DUPLICATE_KEY if a key exists. */
  addLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return writeMetadata(this.connection, 'RtmClient.addLocalUserMetadata', 'add', items, options);
  }

  /** Updates existing items; fails with INVALID_ARGUMENT if a key does not exist. */
  updateLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return writeMetadata(
      this.connection,
      'RtmClient.updateLocalUserMetadata',
      'update',
      items,
      options,
    );
  }

  deleteLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return writeMetadata(
      this.connection,
      'RtmClient.deleteLocalUserMetadata',
      'delete',
      items,
      options,
    );
  }

  clearLocalUserMetadata(options?: RtmMetadataOptions): Promise<void> {
    return writeMetadata(this.connection, 'RtmClient.clearLocalUserMetadata', 'clear', [], options);
  }

  /** UserMetaDataUpdated then reports every change of `uid`'s metadata. */
  subscribeUserMetadata(uid: string): Promise<void> {
    return subscribeMetadata(this.connection, 'RtmClient.subscribeUserMetadata', true, uid);
  }

  unsubscribeUserMetadata(uid: string): Promise<void> {
    return subscribeMetadata(this.connection, 'RtmClient.unsubscribeUserMetadata', false, uid);
  }

  /** Creates a call invitation to `calleeId`; `send()` rings the callee. */
  createLocalInvitation(calleeId: string): LocalInvitation {
    return this.invitations.create(calleeId);
  }

  /** The connection state, as the last ConnectionStateChanged said. */
  get connectionState(): ConnectionState {
    return this.connection.state as ConnectionState;
  }

  /**
   * Logs in. Rejects with LOGIN_ERR_* codes: ALREADY_LOGIN (8) unless DISCONNECTED,
   * TOO_OFTEN (10) above 2 calls a second, TIMEOUT (9) after 12 s.
   */
  login(options: { uid: string; token?: string }): Promise<void> {
    if (!tooOften(this.loginCalls, Limits.loginRatePerSecond))
      return Promise.reject(
        createRtmError(
          'login',
          LoginError.TOO_OFTEN,
          `login: more than ${Limits.loginRatePerSecond} calls per second`,
        ),
      );
    if (this.connection.state !== 'DISCONNECTED')
      return Promise.reject(
        createRtmError(
          'login',
          LoginError.ALREADY_LOGIN,
          `login: the client is ${this.connection.state}; call logout() first`,
        ),
      );
    if (typeof options !== 'object' || options === null || typeof options.uid !== 'string')
      return Promise.reject(
        createRtmError('login', LoginError.INVALID_ARGUMENT, 'uid: must be a string'),
      );
    if (options.token !== undefined && typeof options.token !== 'string')
      return Promise.reject(
        createRtmError('login', LoginError.INVALID_ARGUMENT, 'token: must be a string'),
      );
    this.seenMessages.clear();
    return this.connection.login(options.uid, options.token || undefined);
  }

  logout(): Promise<void> {
    this.subscribed.clear();
    this.localAttributes = {};
    return this.connection.logout();
  }

  renewToken(token: string): Promise<void> {
    if (typeof token !== 'string' || token === '')
      return Promise.reject(
        createRtmError(
          'renewToken',
          RenewTokenError.INVALID_ARGUMENT,
          'token: must be a non-empty string',
        ),
      );
    if (!tooOften(this.renewCalls, 2))
      return Promise.reject(
        createRtmError(
          'renewToken',
          RenewTokenError.TOO_OFTEN,
          'renewToken: more than 2 calls per second',
        ),
      );
    const state = this.connection.state;
    if (state === 'RECONNECTING') {
      this.connection.setToken(token);
      return Promise.resolve();
    }
    return this.connection
      .request<{ exp: number }>(
        'renewToken',
        'RtmClient.renewToken',
        { t: 'renew', k: token },
        RenewTokenError.FAILURE,
      )
      .then(() => this.connection.setToken(token));
  }

  /**
   * Sends a peer message. Resolves `{hasPeerReceived}`: true once the peer's SDK has it, false
   * when the peer is offline (stored if `options.enableOfflineMessaging`, a 1.2.x option).
   */
  sendMessageToPeer(
    message: RtmMessage,
    peerId: string,
    options?: SendMessageOptions,
  ): Promise<PeerMessageSendResult> {
    const m = toWire(message);
    if (!m)
      return Promise.reject(
        createRtmError(
          'sendMessageToPeer',
          PeerMessageError.INVALID_MESSAGE,
          'message: must be {text: string} or {rawMessage: Uint8Array, description?: string}',
        ),
      );
    const frame: Record<string, unknown> = { t: 'psend', to: peerId, m };
    if (options?.enableOfflineMessaging) frame.off = true;
    return this.connection
      .request<PeerSendResult>(
        'sendMessageToPeer',
        'RtmClient.sendMessageToPeer',
        frame,
        PeerMessageError.TIMEOUT,
      )
      .then((r) => ({ hasPeerReceived: r.recv }));
  }

  createMessage<T extends RtmMessage>(message: Partial<T>): T {
    return createMessage<T>(message);
  }

  async queryPeersOnlineStatus(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    const r = await this.connection.request<PresenceQueryResult>(
      'queryPeersOnlineStatus',
      'RtmClient.queryPeersOnlineStatus',
      { t: 'pquery', ids: peerIds },
      QueryPeersOnlineStatusError.TIMEOUT,
    );
    return r.st;
  }

  /** Subscribes; PeersOnlineStatusChanged then reports the peers' states, and every change. */
  async subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    await this.connection.request(
      'subscribePeersOnlineStatus',
      'RtmClient.subscribePeersOnlineStatus',
      { t: 'psub', ids: peerIds },
      PeerSubscriptionStatusError.TIMEOUT,
    );
    for (const id of peerIds) this.subscribed.add(id);
  }

  async unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    await this.connection.request(
      'unsubscribePeersOnlineStatus',
      'RtmClient.unsubscribePeersOnlineStatus',
      { t: 'punsub', ids: peerIds },
      PeerSubscriptionStatusError.TIMEOUT,
    );
    for (const id of peerIds) this.subscribed.delete(id);
  }

  async queryPeersBySubscriptionOption(option: 'ONLINE_STATUS'): Promise<string[]> {
    const r = await this.connection.request<SubscribedListResult>(
      'queryPeersBySubscriptionOption',
      'RtmClient.queryPeersBySubscriptionOption',
      { t: 'plist', o: option },
      QueryPeersBySubscriptionOptionError.TIMEOUT,
    );
    return r.ids;
  }

  updateConfig(config: RtmConfig): void {
    this.config = { ...this.config, ...config };
  }

  setParameters(config: RtmConfig): void {
    this.updateConfig(config);
  }

  /** @internal The server lost our session: bring back what the app had set up. */
  protected restore(): void {
    for (const f of this.features) f.sessionRenewed?.();
    if (Object.keys(this.localAttributes).length > 0)
      writeUserAttributes(
        this.connection,
        'setLocalUserAttributes',
        'set',
        this.localAttributes,
      ).catch(() => undefined);
    if (this.subscribed.size === 0) return;
    const ids = [...this.subscribed];
    this.connection
      .request(
        'subscribePeersOnlineStatus',
        'RtmClient.subscribePeersOnlineStatus',
        { t: 'psub', ids },
        PeerSubscriptionStatusError.TIMEOUT,
      )
      .catch(() => undefined);
  }

  /** @internal */
  protected onPush(f: ReliablePush): void {
    if (f.t === 'msg') this.onPeerMessage(f);
    else if (f.t === 'umeta') this.emit('UserMetaDataUpdated', f.u, metadataFromWire(f.d));
    else if (f.t === 'pst')
      this.emit(
        'PeersOnlineStatusChanged',
        f.st as Record<string, PeerState> as PeersOnlineStatusMap,
      );
    else this.featureByPush.get((f as { t: string }).t)?.onPush(f);
  }

  private onPeerMessage(f: PeerMessagePush): void {
    if (!this.seenMessages.add(f.mid)) return;
    if (
      f.m.k === 'T' &&
      f.m.x.startsWith(END_CALL_PREFIX) &&
      this.invitations.onEndCallMessage(f.f, f.m.x)
    )
      return;
    this.emit('MessageFromPeer', fromWire(f.m), f.f, {
      serverReceivedTs: f.ts,
      isOfflineMessage: f.off === 1,
    });
  }

  private onState(state: State, reason: Reason): void {
    this.emit('ConnectionStateChanged', state as ConnectionState, reason as ConnectionChangeReason);
    for (const f of this.features) f.stateChanged?.(state, reason);
  }
}

/** Sliding one-second window of call times; answers false when the call is one too many. */
function tooOften(calls: number[], perSecond: number): boolean {
  const now = Date.now();
  while (calls.length > 0 && now - calls[0]! >= 1000) calls.shift();
  if (calls.length >= perSecond) return false;
  calls.push(now);
  return true;
}

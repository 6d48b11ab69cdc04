/**
 * RtmClient: the agora-rtm-sdk 1.x client, as a facade. Each method delegates to one feature
 * (login.ts, peers.ts, presence.ts, attributes.ts, metadata.ts, channels.ts, invitations.ts;
 * the seam is feature.ts); the socket work is the Connection's.
 */
import { CreateInstanceError, systemClock } from '@parley/protocol';
import { Attributes, type AttributesMap, type ChannelAttributeOptions } from './attributes.js';
import type { ChannelAttributes } from './attributes.js';
import type { RtmChannel } from './channel.js';
import { Channels } from './channels.js';
import type {
  PeerMessageSendResult,
  PeersOnlineStatusResult,
  RtmClientEvents,
} from './client-events.js';
import { ConfigDefaults, type RtmConfig } from './config.js';
import { Connection } from './connection.js';
import type { ConnectionChangeReason, ConnectionState } from './constants.js';
import { EventEmitter } from './emitter.js';
import { createRtmError } from './errors.js';
import { Extensions } from './extensions.js';
import type { FeatureHost } from './feature.js';
import { FeatureRegistry } from './feature-registry.js';
import type { LocalInvitation } from './invitation.js';
import { Invitations } from './invitations.js';
import { Login } from './login.js';
import { createMessage, type RtmMessage, type SendMessageOptions } from './message.js';
import { RtmMetadataItem, type RtmMetadata, type RtmMetadataOptions } from './metadata-item.js';
import { Metadata } from './metadata.js';
import { Peers } from './peers.js';
import { Presence } from './presence.js';

function defaultServerUrl(): string[] {
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (loc && /^https?:$/.test(loc.protocol))
    return [`${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/`];
  return [];
}

export class RtmClient extends EventEmitter<RtmClientEvents> {
  /** @internal The features behind this facade (`parleyExtensions` finds its own here). */
  readonly features = new FeatureRegistry();
  private config: RtmConfig;
  private readonly connection: Connection;
  private readonly session: Login;
  private readonly peers: Peers;
  private readonly presence: Presence;
  private readonly attributes: Attributes;
  private readonly metadata: Metadata;
  private readonly channels: Channels;
  private readonly invitations: Invitations;

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
        CreateInstanceError.INVALID_ARGUMENT,
        'config.serverUrl: the Parley server URL is required outside a page served by Parley',
      );
    const clock = config.clock ?? systemClock;
    const features = this.features;
    this.connection = new Connection(
      {
        urls,
        appId,
        loginTimeoutMs: config.loginTimeoutMs ?? ConfigDefaults.loginTimeoutMs,
        requestTimeoutMs: config.requestTimeoutMs ?? ConfigDefaults.requestTimeoutMs,
        reconnectBaseDelayMs: config.reconnectBaseDelayMs ?? ConfigDefaults.reconnectBaseDelayMs,
        reconnectMaxDelayMs: config.reconnectMaxDelayMs ?? ConfigDefaults.reconnectMaxDelayMs,
        earlyLogin: config.earlyLogin === true,
        clock,
      },
      {
        state: (s, r) => {
          this.emit('ConnectionStateChanged', s as ConnectionState, r as ConnectionChangeReason);
          features.stateChanged(s, r);
        },
        push: (f) => features.push(f),
        willExpire: () => this.emit('TokenPrivilegeWillExpire'),
        tokenExpired: () => this.emit('TokenExpired'),
        banned: () => this.emit('BannedByServer'),
        sessionRenewed: (r) => features.sessionRenewed(r),
        resumeCursor: () => features.resumeCursor(),
        channelSequences: (cs) => features.channelSequences(cs),
      },
    );
    const host: FeatureHost = {
      connection: this.connection,
      clock,
      emit: (event, ...args) => this.emit(event, ...args),
    };
    // The order of restoring after a renewal: invitations withdrawn, channels joined again,
    // attributes written, presence subscribed.
    this.session = features.add(new Login(host));
    this.invitations = features.add(new Invitations(host));
    this.peers = features.add(new Peers(host, this.invitations));
    this.metadata = features.add(new Metadata(host));
    this.channels = features.add(new Channels(host, this.metadata));
    this.attributes = features.add(new Attributes(host));
    this.presence = features.add(new Presence(host));
    features.add(new Extensions(host, this.channels));
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
    return this.session.login(options);
  }

  logout(): Promise<void> {
    return this.session.logout();
  }

  renewToken(token: string): Promise<void> {
    return this.session.renewToken(token);
  }

  updateConfig(config: RtmConfig): void {
    this.config = { ...this.config, ...config };
  }

  setParameters(config: RtmConfig): void {
    this.updateConfig(config);
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
    return this.peers.send(message, peerId, options);
  }

  createMessage<T extends RtmMessage>(message: Partial<T>): T {
    return createMessage<T>(message);
  }

  queryPeersOnlineStatus(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    return this.presence.query(peerIds);
  }

  /** Subscribes; PeersOnlineStatusChanged then reports the peers' states, and every change. */
  subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.presence.subscribe(peerIds);
  }

  unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.presence.unsubscribe(peerIds);
  }

  queryPeersBySubscriptionOption(option: 'ONLINE_STATUS'): Promise<string[]> {
    return this.presence.subscribedPeers(option);
  }

  /** Creates an RtmChannel; `join()` it to take part. */
  createChannel(channelId: string): RtmChannel {
    return this.channels.create(channelId);
  }

  /** Member counts of up to 32 channels, joined or not (0 for an unknown channel). */
  getChannelMemberCount(channelIds: string[]): Promise<{ [channelId: string]: number }> {
    return this.channels.memberCount(channelIds);
  }

  setLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this.attributes.writeUser('setLocalUserAttributes', 'set', attributes);
  }

  addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this.attributes.writeUser('addOrUpdateLocalUserAttributes', 'add', attributes);
  }

  deleteLocalUserAttributesByKeys(attributeKeys: string[]): Promise<void> {
    const method = 'deleteLocalUserAttributesByKeys';
    return this.attributes.writeUser(method, 'del', undefined, attributeKeys);
  }

  clearLocalUserAttributes(): Promise<void> {
    return this.attributes.writeUser('clearLocalUserAttributes', 'clear');
  }

  getUserAttributes(userId: string): Promise<AttributesMap> {
    return this.attributes.readUser('getUserAttributes', userId);
  }

  getUserAttributesByKeys(userId: string, attributeKeys: string[]): Promise<AttributesMap> {
    return this.attributes.readUser('getUserAttributesByKeys', userId, attributeKeys);
  }

  setChannelAttributes(
    channelId: string,
    attributes: AttributesMap,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    const method = 'setChannelAttributes';
    return this.attributes.writeChannel(method, channelId, 'set', options, attributes);
  }

  addOrUpdateChannelAttributes(
    channelId: string,
    attributes: AttributesMap,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    const method = 'addOrUpdateChannelAttributes';
    return this.attributes.writeChannel(method, channelId, 'add', options, attributes);
  }

  deleteChannelAttributesByKeys(
    channelId: string,
    attributeKeys: string[],
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    const method = 'deleteChannelAttributesByKeys';
    return this.attributes.writeChannel(
      method,
      channelId,
      'del',
      options,
      undefined,
      attributeKeys,
    );
  }

  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    return this.attributes.writeChannel('clearChannelAttributes', channelId, 'clear', options);
  }

  getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    return this.attributes.readChannel('getChannelAttributes', channelId);
  }

  getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes> {
    return this.attributes.readChannel('getChannelAttributesByKeys', channelId, keys);
  }

  createMetadataItem(): RtmMetadataItem {
    return new RtmMetadataItem();
  }

  getUserMetadata(uid: string): Promise<RtmMetadata> {
    return this.metadata.read('RtmClient.getUserMetadata', 'u', uid);
  }

  /** Adds or updates items (a revision other than -1 must match the stored one). */
  setLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.metadata.write('RtmClient.setLocalUserMetadata', 'set', items, options);
  }

  /** Adds items; fails with DUPLICATE_KEY if a key exists. */
  addLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.metadata.write('RtmClient.addLocalUserMetadata', 'add', items, options);
  }

  /** Updates existing items; fails with INVALID_ARGUMENT if a key does not exist. */
  updateLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.metadata.write('RtmClient.updateLocalUserMetadata', 'update', items, options);
  }

  deleteLocalUserMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.metadata.write('RtmClient.deleteLocalUserMetadata', 'delete', items, options);
  }

  clearLocalUserMetadata(options?: RtmMetadataOptions): Promise<void> {
    return this.metadata.write('RtmClient.clearLocalUserMetadata', 'clear', [], options);
  }

  /** UserMetaDataUpdated then reports every change of `uid`'s metadata. */
  subscribeUserMetadata(uid: string): Promise<void> {
    return this.metadata.subscribe('RtmClient.subscribeUserMetadata', true, uid);
  }

  unsubscribeUserMetadata(uid: string): Promise<void> {
    return this.metadata.subscribe('RtmClient.unsubscribeUserMetadata', false, uid);
  }

  /** Creates a call invitation to `calleeId`; `send()` rings the callee. */
  createLocalInvitation(calleeId: string): LocalInvitation {
    return this.invitations.create(calleeId);
  }
}

/**
 * @parley/sdk — the agora-rtm-sdk 1.x API on a self-hosted Parley server.
 *
 * ```ts
 * import AgoraRTM from '@parley/sdk';
 * const client = AgoraRTM.createInstance(appId, { serverUrl: 'ws://localhost:8080' });
 * await client.login({ uid: 'alice' });
 * ```
 */
import { RtmClient } from './client.js';
import type { RtmConfig } from './config.js';
import {
  AreaCode,
  BUILD,
  ConnectionChangeReason,
  ConnectionState,
  END_CALL_PREFIX,
  LocalInvitationFailureReason,
  LocalInvitationState,
  LOG_FILTER_ERROR,
  LOG_FILTER_INFO,
  LOG_FILTER_OFF,
  LOG_FILTER_WARNING,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  VERSION,
} from './constants.js';

export * from './constants.js';
export * from './errors.js';
export { RtmClient } from './client.js';
export type { RtmConfig } from './config.js';
export type {
  RtmClientEvents,
  PeerMessageSendResult,
  PeersOnlineStatusMap,
  PeersOnlineStatusResult,
} from './client-events.js';
/** The clock RtmConfig.clock takes (for tests and embedders). */
export type { Clock, TimerHandle } from '@parley/protocol';
export type {
  RtmMessage,
  RtmTextMessage,
  RtmRawMessage,
  ReceivedMessageProperties,
  SendMessageOptions,
} from './message.js';
export { EventEmitter } from './emitter.js';
export { parleyExtensions, type ParleyExtensions } from './extensions.js';
export { RtmChannel, type RtmChannelEvents } from './channel.js';
export type {
  AttributesMap,
  ChannelAttributes,
  ChannelAttributeProperties,
  ChannelAttributeOptions,
} from './attributes.js';
export {
  LocalInvitation,
  RemoteInvitation,
  type LocalInvitationEvents,
  type RemoteInvitationEvents,
} from './invitation.js';
export { RtmMetadataItem, type RtmMetadata, type RtmMetadataOptions } from './metadata-item.js';
export { setDefaultTransport, type Transport, type SocketLike } from './transport.js';

function createInstance(appId: string, config?: RtmConfig, _areaCodes?: AreaCode[]): RtmClient {
  return new RtmClient(appId, config);
}

/** Areas mean nothing to a self-hosted server; kept so apps that call it still run. */
function setArea(_areaConfig: { areaCodes: AreaCode[]; excludedArea?: AreaCode }): void {}

const AgoraRTM = {
  LOG_FILTER_OFF,
  LOG_FILTER_ERROR,
  LOG_FILTER_INFO,
  LOG_FILTER_WARNING,
  VERSION,
  BUILD,
  END_CALL_PREFIX,
  createInstance,
  setArea,
  ConnectionChangeReason,
  ConnectionState,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationState,
  RemoteInvitationFailureReason,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  AreaCode,
};

export { createInstance, setArea };
export default AgoraRTM;

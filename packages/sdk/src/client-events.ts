/** The events of RtmClient and the result shapes of its methods, as agora-rtm-sdk 1.x declares them. */
import type { ConnectionChangeReason, ConnectionState, PeerOnlineState } from './constants.js';
import type { ListenerType } from './emitter.js';
import type { RemoteInvitation } from './invitation.js';
import type { ReceivedMessageProperties, RtmMessage } from './message.js';
import type { RtmMetadata } from './metadata-item.js';

export interface PeerMessageSendResult {
  hasPeerReceived: boolean;
}
export interface PeersOnlineStatusResult {
  [peerId: string]: boolean;
}
export interface PeersOnlineStatusMap {
  [peerId: string]: PeerOnlineState;
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

/** Emits one RtmClient event to the app's listeners. */
export type ClientEmit = <E extends keyof RtmClientEvents>(
  event: E,
  ...args: ListenerType<RtmClientEvents[E]>
) => void;

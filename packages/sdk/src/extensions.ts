/**
 * Parley features beyond agora-rtm-sdk 1.x, for the legacy Signaling layer (and apps that want
 * them): send to a channel without joining, join with the member list, echo of one's own
 * channel messages, telephony requests. Not part of the agora-rtm-sdk surface, so RtmClient
 * has no method for them: `parleyExtensions(client)` finds this feature in the client's
 * registry.
 */
import {
  TelephonyError,
  USER_NOT_LOGGED_IN,
  type RequestBody,
  type TelephonyRequestBody,
} from '@parley/protocol';
import type { RtmChannel } from './channel.js';
import type { Channels } from './channels.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import { FeatureRegistry } from './feature-registry.js';
import type { RtmMessage } from './message.js';
import { apiCall, type ApiCall } from './requests.js';

export interface ParleyExtensions {
  /** Sends a channel message without joining the channel (Signaling `messageChannelSendForce`). */
  sendChannelMessageWithoutJoining(channelId: string, message: RtmMessage): Promise<void>;
  /** Joins and answers the member list (at most 200), as a Signaling join does. */
  joinWithMemberList(channel: RtmChannel): Promise<string[]>;
  /** When on, this client's channel messages come back to it as ChannelMessage events. */
  setChannelMessageEcho(on: boolean): Promise<void>;
  /**
   * Sends a telephony request (legacy Signaling phone invitations, DTMF, hang-up) to the
   * server's telephony gateway; rejects with a `TelephonyError` code.
   */
  telephony(frame: TelephonyRequestBody): Promise<void>;
  /**
   * Member counts as legacy Signaling asked for them (`channel_query_num`): sent at once, on the
   * server's Signaling query window rather than RTM's one getChannelMemberCount call a second.
   */
  signalingMemberCount(channelIds: string[]): Promise<{ [channelId: string]: number }>;
  /** `queryPeersOnlineStatus` as Signaling's `user_query_user_status`: on the Signaling window. */
  signalingPeersOnline(peerIds: string[]): Promise<{ [peerId: string]: boolean }>;
  /** `channel.getMembers()` as Signaling's member queries: on the Signaling window. */
  signalingMembers(channel: RtmChannel): Promise<string[]>;
}

const PEERS_ONLINE = apiCall('RtmClient.queryPeersOnlineStatus', 'queryPeersOnlineStatus');

/** A session option of the server; it fails with join's codes. */
const ECHO = apiCall('RtmClient.setChannelMessageEcho', 'join');

export class Extensions implements ClientFeature<never> {
  readonly pushes = [] as const;

  constructor(
    private readonly host: FeatureHost,
    private readonly channels: Channels,
  ) {}

  sendChannelMessageWithoutJoining(channelId: string, message: RtmMessage): Promise<void> {
    return this.channels.sendWithoutJoining(channelId, message);
  }

  joinWithMemberList(channel: RtmChannel): Promise<string[]> {
    return this.channels.join(channel, true).then((members) => members ?? []);
  }

  setChannelMessageEcho(on: boolean): Promise<void> {
    return this.host.connection.request(ECHO, {
      t: 'opts',
      echo: on,
    } satisfies RequestBody<'opts'>);
  }

  signalingMemberCount(channelIds: string[]): Promise<{ [channelId: string]: number }> {
    return this.channels.memberCount(channelIds, true);
  }

  async signalingPeersOnline(peerIds: string[]): Promise<{ [peerId: string]: boolean }> {
    const body: RequestBody<'pquery'> = { t: 'pquery', ids: peerIds, sig: true };
    return (await this.host.connection.request(PEERS_ONLINE, body)).st;
  }

  signalingMembers(channel: RtmChannel): Promise<string[]> {
    return this.channels.members(channel, true);
  }

  telephony(frame: TelephonyRequestBody): Promise<void> {
    const call: ApiCall = {
      method: `Signaling.${frame.t}`,
      api: 'invitation',
      timeoutCode: TelephonyError.NET,
      notLoggedInCode: USER_NOT_LOGGED_IN,
    };
    return this.host.connection.request(call, { ...frame });
  }
}

/** The Parley extensions of `client` (an RtmClient of this SDK; anything else throws TypeError). */
export function parleyExtensions(client: object): ParleyExtensions {
  const features = (client as { features?: unknown }).features;
  const ext = features instanceof FeatureRegistry ? features.get(Extensions) : undefined;
  if (!ext) throw new TypeError('parleyExtensions: not a Parley RtmClient');
  // Plain functions, so they work detached from the object too.
  return {
    sendChannelMessageWithoutJoining: (channelId, message) =>
      ext.sendChannelMessageWithoutJoining(channelId, message),
    joinWithMemberList: (channel) => ext.joinWithMemberList(channel),
    setChannelMessageEcho: (on) => ext.setChannelMessageEcho(on),
    telephony: (frame) => ext.telephony(frame),
    signalingMemberCount: (channelIds) => ext.signalingMemberCount(channelIds),
    signalingPeersOnline: (peerIds) => ext.signalingPeersOnline(peerIds),
    signalingMembers: (channel) => ext.signalingMembers(channel),
  };
}

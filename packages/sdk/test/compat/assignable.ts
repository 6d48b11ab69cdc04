/**
 * Type tests (checked by `npm run typecheck`, part of `npm test`, with the bundler resolution apps use): Parley's SDK is a drop-in
 * for agora-rtm-sdk 1.6.0. Each line fails to compile if a declared member is missing or has
 * an incompatible type.
 */
import type AgoraRTM16 from 'agora-rtm-sdk';
import type {
  LocalInvitation as AgoraLocalInvitation,
  RemoteInvitation as AgoraRemoteInvitation,
  RtmChannel as AgoraRtmChannel,
  RtmClient as AgoraRtmClient,
  RtmMetadataItem as AgoraRtmMetadataItem,
} from 'agora-rtm-sdk';
import type ParleyRTM from '../../src/index.js';
import type {
  LocalInvitation,
  RemoteInvitation,
  RtmChannel,
  RtmClient,
  RtmMetadataItem,
} from '../../src/index.js';

export type Assignable<To, From extends To> = From;

export type ClientIsDropIn = Assignable<AgoraRtmClient, RtmClient>;
export type ChannelIsDropIn = Assignable<AgoraRtmChannel, RtmChannel>;
export type LocalInvitationIsDropIn = Assignable<AgoraLocalInvitation, LocalInvitation>;
export type RemoteInvitationIsDropIn = Assignable<AgoraRemoteInvitation, RemoteInvitation>;
export type MetadataItemIsDropIn = Assignable<AgoraRtmMetadataItem, RtmMetadataItem>;
/** The default export offers every member of agora-rtm-sdk's default export, with its type. */
export type DefaultExportIsDropIn = Assignable<typeof AgoraRTM16, typeof ParleyRTM>;

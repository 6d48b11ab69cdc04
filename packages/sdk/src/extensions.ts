/**
 * Parley features beyond agora-rtm-sdk 1.x, for the legacy Signaling layer (and apps that want
 * them): send to a channel without joining, join with the member list, echo of one's own
 * channel messages. Not part of the agora-rtm-sdk surface, so they live outside RtmClient.
 */
import {
  ChannelMessageError,
  JoinChannelError,
  TelephonyError,
  type TelephonyRequestBody,
} from '@parley/protocol';
import type { RtmChannel } from './channel.js';
import type { Channels } from './channels.js';
import type { Connection } from './connection.js';
import { createRtmError } from './errors.js';
import { toWire, type RtmMessage } from './message.js';

interface Internals {
  connection: Connection;
  channels: Channels;
}

const internals = new WeakMap<object, Internals>();

/** @internal Called by RtmClient's constructor. */
export function registerInternals(client: object, i: Internals): void {
  internals.set(client, i);
}

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
}

export function parleyExtensions(client: object): ParleyExtensions {
  const i = internals.get(client);
  if (!i) throw new TypeError('parleyExtensions: not a Parley RtmClient');
  return {
    sendChannelMessageWithoutJoining(channelId, message) {
      const m = toWire(message);
      if (!m)
        return Promise.reject(
          createRtmError(
            'sendMessage',
            ChannelMessageError.INVALID_MESSAGE,
            'message: must be {text} or {rawMessage}',
          ),
        );
      return i.connection.request(
        'sendMessage',
        'RtmChannel.sendMessage',
        { t: 'csend', c: channelId, m, force: true },
        ChannelMessageError.TIMEOUT,
      );
    },
    joinWithMemberList(channel) {
      return i.channels.join(channel, true).then((members) => members ?? []);
    },
    setChannelMessageEcho(on) {
      return i.connection.request(
        'join',
        'RtmClient.setChannelMessageEcho',
        { t: 'opts', echo: on },
        JoinChannelError.TIMEOUT,
      );
    },
    telephony(frame) {
      return i.connection.request(
        'invitation',
        `Signaling.${frame.t}`,
        { ...frame },
        TelephonyError.NET,
      );
    },
  };
}

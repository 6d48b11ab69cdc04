/** RtmChannel: one channel of a client, with the agora-rtm-sdk 1.x methods and events. */
import type { ChannelAttributes } from './attributes.js';
import type { Channels } from './channels.js';
import { EventEmitter } from './emitter.js';
import type { ReceivedMessageProperties, RtmMessage } from './message.js';
import type { RtmMetadata, RtmMetadataItem, RtmMetadataOptions } from './metadata-item.js';

export interface RtmChannelEvents {
  ChannelMessage: (
    message: RtmMessage,
    memberId: string,
    messagePros: ReceivedMessageProperties,
  ) => void;
  MemberLeft: (memberId: string) => void;
  MemberJoined: (memberId: string) => void;
  AttributesUpdated: (attributes: ChannelAttributes) => void;
  MemberCountUpdated: (memberCount: number) => void;
  /** Channel metadata changed (also emitted on the client, as in the web SDK). */
  ChannelMetaDataUpdated: (data: RtmMetadata) => void;
}

export class RtmChannel extends EventEmitter<RtmChannelEvents> {
  /** @internal */
  constructor(
    readonly channelId: string,
    private readonly feature: Channels,
  ) {
    super();
  }

  /** Joins the channel. Rejects with JOIN_CHANNEL_ERR_* codes (e.g. 5 past 20 channels). */
  join(): Promise<void> {
    return this.feature.join(this).then(() => undefined);
  }

  leave(): Promise<void> {
    return this.feature.leave(this);
  }

  /** Sends a message to every other member (never echoed to the sender). */
  sendMessage(message: RtmMessage): Promise<void> {
    return this.feature.send(this, message);
  }

  /** Members of the channel (at most 512). */
  getMembers(): Promise<string[]> {
    return this.feature.members(this);
  }

  /** Adds or updates items of the channel's metadata (joined channels only). */
  setChannelMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.feature.metadata.write(
      'RtmChannel.setChannelMetadata',
      'set',
      items,
      options,
      this.channelId,
    );
  }

  addChannelMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.feature.metadata.write(
      'RtmChannel.addChannelMetadata',
      'add',
      items,
      options,
      this.channelId,
    );
  }

  updateChannelMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.feature.metadata.write(
      'RtmChannel.updateChannelMetadata',
      'update',
      items,
      options,
      this.channelId,
    );
  }

  deleteChannelMetadata(items: RtmMetadataItem[], options?: RtmMetadataOptions): Promise<void> {
    return this.feature.metadata.write(
      'RtmChannel.deleteChannelMetadata',
      'delete',
      items,
      options,
      this.channelId,
    );
  }

  clearChannelMetadata(options?: RtmMetadataOptions): Promise<void> {
    return this.feature.metadata.write(
      'RtmChannel.clearChannelMetadata',
      'clear',
      [],
      options,
      this.channelId,
    );
  }

  getChannelMetadata(): Promise<RtmMetadata> {
    return this.feature.metadata.read('RtmChannel.getChannelMetadata', 'c', this.channelId);
  }

  /** @internal */
  dispatch<P extends keyof RtmChannelEvents>(
    event: P,
    ...args: Parameters<RtmChannelEvents[P]>
  ): void {
    this.emit(event, ...(args as never));
  }
}

/**
 * Channels of one client: joins and leaves, channel messages and member lists, member counts,
 * channel events routed to their RtmChannel with dedup by channel sequence, and rejoining
 * after the server lost the session.
 */
import {
  ChannelMessageError,
  CreateChannelError,
  ID_RULE,
  isValidId,
  JoinChannelError,
  LeaveChannelError,
  type ChannelPush,
  type RequestBody,
} from '@parley/protocol';
import { RtmChannel } from './channel.js';
import type { Reason, State } from './connection.js';
import { createRtmError } from './errors.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import { fromWire, toWire, type RtmMessage } from './message.js';
import { metadataFromWire } from './metadata-item.js';
import type { Metadata } from './metadata.js';
import { apiCall, type ApiCall } from './requests.js';

interface Joined {
  channel: RtmChannel;
  /** Last channel sequence seen. */
  cs: number;
}

const JOIN = apiCall('RtmChannel.join', 'join');
/** Leave has no TIMEOUT code: a leave that got no answer fails with FAILURE. */
const LEAVE: ApiCall = {
  method: 'RtmChannel.leave',
  api: 'leave',
  timeoutCode: LeaveChannelError.FAILURE,
  notLoggedInCode: LeaveChannelError.USER_NOT_LOGGED_IN,
};
const SEND = apiCall('RtmChannel.sendMessage', 'sendMessage');
const MEMBERS = apiCall('RtmChannel.getMembers', 'getMembers');
const MEMBER_COUNT = apiCall('RtmClient.getChannelMemberCount', 'getChannelMemberCount');

type ChannelPushType = ChannelPush['t'];

export class Channels implements ClientFeature<ChannelPushType> {
  readonly pushes = ['cmsg', 'mjoin', 'mleft', 'cattrs', 'cmeta', 'ccount'] as const;
  private readonly joined = new Map<string, Joined>();
  private readonly pending = new Map<string, RtmChannel>();

  constructor(
    private readonly host: FeatureHost,
    /** @internal RtmChannel's metadata methods go through it. */
    readonly metadata: Metadata,
  ) {}

  /** A new RtmChannel; a bad id throws INVALID_ARGUMENT, as on the web. */
  create(channelId: string): RtmChannel {
    if (!isValidId(channelId))
      throw createRtmError(
        'createChannel',
        CreateChannelError.INVALID_ARGUMENT,
        `channelId: must be ${ID_RULE}`,
      );
    return new RtmChannel(channelId, this);
  }

  /** Member counts of up to 32 channels, joined or not (0 for an unknown channel). */
  async memberCount(
    channelIds: string[],
    signaling = false,
  ): Promise<{ [channelId: string]: number }> {
    const body: RequestBody<'mcount'> = { t: 'mcount', ids: channelIds };
    if (signaling) body.sig = true;
    return (await this.host.connection.request(MEMBER_COUNT, body)).counts;
  }

  /** Joins; with `withMembers`, answers the member list the server sent with the join. */
  async join(channel: RtmChannel, withMembers = false): Promise<string[] | undefined> {
    const id = channel.channelId;
    const other = this.joined.get(id)?.channel ?? this.pending.get(id);
    if (other && other !== channel)
      throw createRtmError(
        'join',
        JoinChannelError.ALREADY_JOINED_CHANNEL_OF_SAME_ID,
        `join: another RtmChannel of "${id}" has joined`,
      );
    if (other === channel)
      throw createRtmError(
        'join',
        JoinChannelError.ALREADY_JOINED,
        `join: already in channel "${id}"`,
      );
    this.pending.set(id, channel);
    try {
      const list = withMembers ? { list: true } : {};
      const body = { t: 'join', c: id, ...list } satisfies RequestBody<'join'>;
      const r = await this.host.connection.request(JOIN, body);
      if (this.pending.get(id) !== channel)
        throw createRtmError('join', JoinChannelError.ABORTED_BY_LEAVE, 'join: aborted by leave()');
      this.joined.set(id, { channel, cs: r.cs });
      return r.members;
    } finally {
      if (this.pending.get(id) === channel) this.pending.delete(id);
    }
  }

  async leave(channel: RtmChannel): Promise<void> {
    const id = channel.channelId;
    if (this.pending.get(id) === channel) {
      this.pending.delete(id);
      await this.requestLeave(id).catch(() => undefined);
      return;
    }
    if (this.joined.get(id)?.channel !== channel)
      throw createRtmError(
        'leave',
        LeaveChannelError.NOT_IN_CHANNEL,
        `leave: not in channel "${id}"`,
      );
    this.joined.delete(id);
    await this.requestLeave(id);
  }

  private async requestLeave(channelId: string): Promise<void> {
    await this.host.connection.request(LEAVE, {
      t: 'leave',
      c: channelId,
    } satisfies RequestBody<'leave'>);
  }

  send(channel: RtmChannel, message: RtmMessage, hist = false): Promise<void> {
    const id = channel.channelId;
    if (this.joined.get(id)?.channel !== channel && this.host.connection.state === 'CONNECTED')
      return this.sendTo(
        id,
        message,
        false,
        hist,
        `sendMessage: not in channel "${id}"; join it first`,
      );
    return this.sendTo(id, message, false, hist);
  }

  /** Parley extension: to any channel, joined or not (Signaling `messageChannelSendForce`). */
  sendWithoutJoining(channelId: string, message: RtmMessage): Promise<void> {
    return this.sendTo(channelId, message, true, false);
  }

  /** Sends, unless the message is no message, or `notInChannel` says why it cannot go. */
  private sendTo(
    channelId: string,
    message: RtmMessage,
    force: boolean,
    hist: boolean,
    notInChannel?: string,
  ): Promise<void> {
    const m = toWire(message);
    if (!m)
      return Promise.reject(
        createRtmError(
          'sendMessage',
          ChannelMessageError.INVALID_MESSAGE,
          'message: must be {text: string} or {rawMessage: Uint8Array, description?: string}',
        ),
      );
    if (notInChannel !== undefined)
      return Promise.reject(
        createRtmError('sendMessage', ChannelMessageError.NOT_IN_CHANNEL, notInChannel),
      );
    const body = {
      t: 'csend',
      c: channelId,
      m,
      ...(force ? { force: true } : {}),
      ...(hist ? { h: true } : {}),
    } satisfies RequestBody<'csend'>;
    return this.host.connection.request(SEND, body).then(() => undefined);
  }

  async members(channel: RtmChannel, signaling = false): Promise<string[]> {
    const body: RequestBody<'members'> = { t: 'members', c: channel.channelId };
    if (signaling) body.sig = true;
    return (await this.host.connection.request(MEMBERS, body)).ids;
  }

  onPush(f: ChannelPush): void {
    const entry = this.joined.get(f.c);
    if (!entry) return;
    if (f.t === 'ccount') return entry.channel.dispatch('MemberCountUpdated', f.n);
    if (f.cs <= entry.cs) return; // replayed after a resume, already seen
    entry.cs = f.cs;
    switch (f.t) {
      case 'cmsg':
        return entry.channel.dispatch('ChannelMessage', fromWire(f.m), f.f, {
          serverReceivedTs: f.ts,
        });
      case 'mjoin':
        return entry.channel.dispatch('MemberJoined', f.u);
      case 'mleft':
        return entry.channel.dispatch('MemberLeft', f.u);
      case 'cattrs':
        return entry.channel.dispatch('AttributesUpdated', { ...f.attrs });
      case 'cmeta': {
        const data = Object.assign(metadataFromWire(f.d), { channelId: f.c });
        entry.channel.dispatch('ChannelMetaDataUpdated', data);
        // Also on the client, as the web SDK emits it.
        return this.host.emit('ChannelMetaDataUpdated', data);
      }
    }
  }

  resumeCursor(): Record<string, number> {
    // fromEntries keeps a channel named `__proto__` as an own key (an assignment would not).
    return Object.fromEntries([...this.joined].map(([id, e]) => [id, e.cs]));
  }

  channelSequences(cs: Record<string, number>): void {
    for (const [id, e] of this.joined) {
      const next = cs[id];
      if (next !== undefined) e.cs = next;
    }
  }

  /** The server lost the session: join every channel again (others see MemberJoined). */
  sessionRenewed(): void {
    for (const [id, e] of this.joined) {
      this.host.connection
        .request(JOIN, { t: 'join', c: id } satisfies RequestBody<'join'>)
        .then((r) => (e.cs = r.cs))
        .catch(() => this.joined.delete(id));
    }
  }

  stateChanged(state: State, _reason: Reason): void {
    if (state === 'DISCONNECTED' || state === 'ABORTED') {
      this.joined.clear();
      this.pending.clear();
    }
  }
}

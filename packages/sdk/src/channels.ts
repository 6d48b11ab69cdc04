/**
 * Channels of one client: joins and leaves, channel events routed to their RtmChannel,
 * dedup by channel sequence, and rejoining after the server lost the session.
 */
import {
  ChannelMessageError,
  GetMembersError,
  JoinChannelError,
  LeaveChannelError,
  type ChannelAttributesPush,
  type ChannelMetadataPush,
  type ChannelMessagePush,
  type MemberCountPush,
  type MemberJoinedPush,
  type ReliablePush,
  type WireChannelAttribute,
} from '@parley/protocol';
import { RtmChannel } from './channel.js';
import type { Connection, Reason, State } from './connection.js';
import { createRtmError } from './errors.js';
import type { ClientFeature } from './feature.js';
import { fromWire, toWire, type RtmMessage } from './message.js';
import { metadataFromWire, type RtmMetadata } from './metadata.js';

interface Joined {
  channel: RtmChannel;
  /** Last channel sequence seen. */
  cs: number;
}

type ChannelFrame =
  | ChannelMessagePush
  | MemberJoinedPush
  | ChannelAttributesPush
  | ChannelMetadataPush
  | MemberCountPush
  | { t: 'mleft'; c: string; cs: number; u: string };

export class Channels implements ClientFeature {
  readonly pushes: readonly string[] = [];
  readonly events = ['cmsg', 'mjoin', 'mleft', 'cattrs', 'cmeta', 'ccount'] as const;
  private readonly joined = new Map<string, Joined>();
  private readonly pending = new Map<string, RtmChannel>();

  constructor(
    /** @internal */
    readonly connection: Connection,
    /** ChannelMetaDataUpdated on the client, as the web SDK emits it. */
    private readonly metadataUpdated: (data: RtmMetadata) => void,
  ) {}

  create(channelId: string): RtmChannel {
    return new RtmChannel(channelId, this);
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
      const frame: Record<string, unknown> = { t: 'join', c: id };
      if (withMembers) frame.list = true;
      const r = await this.connection.request<{ cs: number; members?: string[] }>(
        'join',
        'RtmChannel.join',
        frame,
        JoinChannelError.TIMEOUT,
      );
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
      await this.connection
        .request('leave', 'RtmChannel.leave', { t: 'leave', c: id }, LeaveChannelError.FAILURE)
        .catch(() => undefined);
      return;
    }
    if (this.joined.get(id)?.channel !== channel)
      throw createRtmError(
        'leave',
        LeaveChannelError.NOT_IN_CHANNEL,
        `leave: not in channel "${id}"`,
      );
    this.joined.delete(id);
    await this.connection.request(
      'leave',
      'RtmChannel.leave',
      { t: 'leave', c: id },
      LeaveChannelError.FAILURE,
    );
  }

  send(channel: RtmChannel, message: RtmMessage): Promise<void> {
    const m = toWire(message);
    if (!m)
      return Promise.reject(
        createRtmError(
          'sendMessage',
          ChannelMessageError.INVALID_MESSAGE,
          'message: must be {text: string} or {rawMessage: Uint8Array, description?: string}',
        ),
      );
    if (
      this.joined.get(channel.channelId)?.channel !== channel &&
      this.connection.state === 'CONNECTED'
    )
      return Promise.reject(
        createRtmError(
          'sendMessage',
          ChannelMessageError.NOT_IN_CHANNEL,
          `sendMessage: not in channel "${channel.channelId}"; join it first`,
        ),
      );
    return this.connection.request(
      'sendMessage',
      'RtmChannel.sendMessage',
      { t: 'csend', c: channel.channelId, m },
      ChannelMessageError.TIMEOUT,
    );
  }

  async members(channel: RtmChannel): Promise<string[]> {
    const r = await this.connection.request<{ ids: string[] }>(
      'getMembers',
      'RtmChannel.getMembers',
      { t: 'members', c: channel.channelId },
      GetMembersError.TIMEOUT,
    );
    return r.ids;
  }

  onPush(_frame: ReliablePush): void {}

  onEvent(raw: { t: string } & Record<string, unknown>): void {
    const f = raw as unknown as ChannelFrame;
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
        return entry.channel.dispatch('AttributesUpdated', {
          ...(f.attrs as Record<string, WireChannelAttribute>),
        });
      case 'cmeta': {
        const data = Object.assign(metadataFromWire(f.d), { channelId: f.c });
        entry.channel.dispatch('ChannelMetaDataUpdated', data);
        return this.metadataUpdated(data);
      }
    }
  }

  resumeCursor(): Record<string, number> {
    const cursor: Record<string, number> = {};
    for (const [id, e] of this.joined) cursor[id] = e.cs;
    return cursor;
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
      this.connection
        .request<{ cs: number }>(
          'join',
          'RtmChannel.join',
          { t: 'join', c: id },
          JoinChannelError.TIMEOUT,
        )
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

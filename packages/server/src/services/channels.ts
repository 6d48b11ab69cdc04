/**
 * channels: membership, channel messages, member events and member counts. Membership is in
 * the ChannelStore; how events reach members on each node is the ChannelRelay's.
 */
import { randomUUID } from 'node:crypto';
import {
  ChannelMessageError,
  GetChannelMemberCountError,
  GetMembersError,
  JoinChannelError,
  LeaveChannelError,
  Limits,
  type Clock,
  type JoinReq,
  type LoginResult,
  type WireMessage,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { EventStream, MessageSource } from '../events.js';
import type { Hub } from '../hub.js';
import { op, type EndReason, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';
import type { ChannelEvent, ChannelRelay } from './channel-relay.js';

type Occupancy = (app: string, channel: string, count: number, now: number) => void;

export class Channels implements SessionService {
  readonly name = 'channels';
  readonly ops = {
    join: op(JoinChannelError.TIMEOUT, JoinChannelError.FAILURE),
    leave: op(LeaveChannelError.FAILURE, LeaveChannelError.FAILURE),
    csend: op(ChannelMessageError.TIMEOUT, ChannelMessageError.FAILURE),
    members: op(GetMembersError.TIMEOUT, GetMembersError.FAILURE),
    mcount: op(GetChannelMemberCountError.TIMEOUT, GetChannelMemberCountError.FAILURE),
    opts: op(JoinChannelError.TIMEOUT, JoinChannelError.FAILURE),
  };
  private readonly occupancyListeners: Occupancy[] = [];

  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
    readonly relay: ChannelRelay,
    private readonly events: EventStream,
    private readonly clock: Clock,
  ) {}

  /** Hears every member-count change seen on this node (e.g. to clear attributes of empty channels). */
  onOccupancy(listener: Occupancy): void {
    this.occupancyListeners.push(listener);
  }

  /** Publishes an event to the channel's members on every node. */
  publish(app: string, channel: string, event: ChannelEvent): Promise<void> {
    return this.relay.publish(app, channel, event);
  }

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    const refuse = (i: number, c: number, m: string) =>
      this.hub.tell(session, { t: 'err', i, c, m });
    switch (f.t) {
      case 'join':
        return this.join(session, f, now);
      case 'leave':
        if (!session.channels.has(f.c))
          return refuse(f.i, LeaveChannelError.NOT_IN_CHANNEL, `leave: not in channel "${f.c}"`);
        await this.leaveChannel(session, f.c);
        return this.hub.tell(session, { t: 'ok', i: f.i });
      case 'opts':
        session.echoChannelMessages = f.echo;
        return this.hub.tell(session, { t: 'ok', i: f.i });
      case 'csend':
        if (!f.force && !session.channels.has(f.c))
          return refuse(
            f.i,
            ChannelMessageError.NOT_IN_CHANNEL,
            `sendMessage: not in channel "${f.c}"; join it first`,
          );
        if (!session.sendRate.take(now))
          return refuse(
            f.i,
            ChannelMessageError.TOO_OFTEN,
            'sendMessage: more than the allowed messages per window; slow down',
          );
        await this.sendMessage(session.app, session.uid, f.c, f.m, f.h === true, 'sdk', now);
        this.hub.tell(session, { t: 'ok', i: f.i, r: { ts: now } });
        return;
      case 'members': {
        if (!session.channels.has(f.c))
          return refuse(f.i, GetMembersError.NOT_IN_CHANNEL, `getMembers: not in channel "${f.c}"`);
        const { getMembersRateCount: count, getMembersRateWindowMs: windowMs } = Limits;
        const { signalingQueryRateCount: sigCount, signalingQueryRateWindowMs: sigMs } = Limits;
        const allowed = f.sig
          ? session.rate('members-sig', sigCount, sigMs).take(now)
          : session.rate('members', count, windowMs).take(now);
        if (!allowed)
          return refuse(
            f.i,
            GetMembersError.TOO_OFTEN,
            f.sig
              ? `channel member queries: more than ${sigCount} per ${sigMs / 1000} s`
              : `getMembers: more than ${count} calls per ${windowMs / 1000} s`,
          );
        const ids = await this.backend.channels.members(session.app, f.c, Limits.maxMemberEvents);
        return this.hub.tell(session, { t: 'ok', i: f.i, r: { ids } });
      }
      case 'mcount': {
        const { signalingQueryRateCount: sigCount, signalingQueryRateWindowMs: sigMs } = Limits;
        const allowed = f.sig
          ? session.rate('mcount-sig', sigCount, sigMs).take(now)
          : session.rate('mcount', Limits.memberCountRatePerSecond, 1000).take(now);
        if (!allowed)
          return refuse(
            f.i,
            GetChannelMemberCountError.TOO_OFTEN,
            f.sig
              ? `channel_query_num: more than ${sigCount} queries per ${sigMs / 1000} s`
              : `getChannelMemberCount: more than ${Limits.memberCountRatePerSecond} call per second`,
          );
        const counts = await this.backend.channels.counts(session.app, f.ids);
        const r = new Map<string, number>();
        f.ids.forEach((id, k) => r.set(id, counts[k]!));
        return this.hub.tell(session, { t: 'ok', i: f.i, r: { counts: Object.fromEntries(r) } });
      }
    }
  }

  /**
   * Publishes a channel message from `from` (a member's SDK, or the REST API without a session
   * or a join) to the members on every node; resolves once it is published and, with `hist`, a
   * text message is in the history.
   */
  async sendMessage(
    app: string,
    from: string,
    channel: string,
    m: WireMessage,
    hist: boolean,
    source: MessageSource,
    now: number,
  ): Promise<void> {
    const stored =
      hist && m.k === 'T'
        ? this.backend.history.append(app, {
            mid: randomUUID(),
            src: from,
            dst: channel,
            kind: 'channel',
            payload: m.x,
            ts: now,
          })
        : undefined;
    await this.relay.publish(app, channel, { t: 'cmsg', f: from, m, ts: now });
    await stored;
    if (this.events.wants('channel.message'))
      this.events.emit({
        type: 'channel.message',
        app,
        channel,
        from,
        message: m,
        source,
        ts: now,
      });
  }

  private async join(session: Session, f: JoinReq, now: number): Promise<void> {
    const refuse = (c: number, m: string) => this.hub.tell(session, { t: 'err', i: f.i, c, m });
    if (session.channels.has(f.c))
      return refuse(JoinChannelError.ALREADY_JOINED, `join: already in channel "${f.c}"`);
    if (session.channels.size >= Limits.maxJoinedChannels)
      return refuse(
        JoinChannelError.EXCEED_LIMIT,
        `join: already in ${Limits.maxJoinedChannels} channels; the limit is ${Limits.maxJoinedChannels}`,
      );
    if (!session.rate('join', Limits.joinRateCount, Limits.joinRateWindowMs).take(now))
      return refuse(
        JoinChannelError.TOO_OFTEN,
        `join: more than ${Limits.joinRateCount} joins per ${Limits.joinRateWindowMs / 1000} s`,
      );
    const { sameChannelJoinRateCount: same, sameChannelJoinRateWindowMs: sameMs } = Limits;
    if (!session.rate('join:' + f.c, same, sameMs).take(now))
      return refuse(
        JoinChannelError.JOIN_SAME_CHANNEL_TOO_OFTEN,
        `join: channel "${f.c}" more than ${same} times per ${sameMs / 1000} s`,
      );
    session.addChannel(f.c);
    const lc = await this.relay.add(session, f.c);
    const { added, count } = await this.backend.channels.join(session.app, f.c, session.uid);
    this.relay.counted(session.app, f.c, count);
    this.occupied(session.app, f.c, count, now);
    const r: { cs: number; n: number; members?: string[] } = { cs: lc.cs, n: count };
    if (f.list)
      r.members = await this.backend.channels.members(session.app, f.c, Limits.maxJoinMemberList);
    this.hub.tell(session, { t: 'ok', i: f.i, r });
    // MemberCountUpdated fires right after joining.
    this.hub.tell(session, { t: 'ccount', c: f.c, n: count });
    if (added) {
      await this.publishMember(session.app, f.c, 'mjoin', session.uid, count);
      this.events.emit({
        type: 'join',
        app: session.app,
        channel: f.c,
        uid: session.uid,
        count,
        ts: now,
      });
    }
  }

  /** Leaves one channel (leave(), or the session ended). */
  private async leaveChannel(session: Session, channel: string): Promise<void> {
    session.removeChannel(channel);
    await this.relay.drop(session, channel);
    await this.leftStore(session.app, channel, session.uid);
  }

  /** Takes the user out of the channel in the store; members see it leave. */
  private async leftStore(app: string, channel: string, uid: string): Promise<void> {
    const { removed, count } = await this.backend.channels.leave(app, channel, uid);
    const now = this.clock.now();
    this.occupied(app, channel, count, now);
    if (!removed) return;
    await this.publishMember(app, channel, 'mleft', uid, count + 1);
    this.events.emit({ type: 'leave', app, channel, uid, count, ts: now });
  }

  /** MemberJoined / MemberLeft; quiet (counted, not shown) above maxMemberEvents members. */
  private publishMember(
    app: string,
    channel: string,
    t: 'mjoin' | 'mleft',
    uid: string,
    size: number,
  ): Promise<void> {
    return this.relay.publish(app, channel, { t, u: uid, quiet: size > Limits.maxMemberEvents });
  }

  private occupied(app: string, channel: string, count: number, now: number): void {
    for (const l of this.occupancyListeners) l(app, channel, count, now);
  }

  /** A dead node's user: leave its channels (members see MemberLeft). */
  async endedElsewhere(app: string, uid: string): Promise<void> {
    for (const channel of await this.backend.channels.channelsOf(app, uid))
      await this.leftStore(app, channel, uid);
  }

  /** The session moved to another node: this node stops delivering to it; it stays a member. */
  async handedOff(session: Session): Promise<void> {
    for (const c of session.channels) await this.relay.drop(session, c);
  }

  /** A session moved here: deliver its channels' events from now on, numbered by this node. */
  async adopted(session: Session, _state: unknown, result: LoginResult): Promise<void> {
    const cs = new Map<string, number>();
    for (const c of session.channels) cs.set(c, (await this.relay.add(session, c)).cs);
    result.cs = Object.fromEntries(cs);
  }

  /** Memberships written again; where the user had been taken out, the others see it join. */
  async reasserted(session: Session): Promise<void> {
    for (const c of session.channels) {
      const { added, count } = await this.backend.channels.join(session.app, c, session.uid);
      if (!added) continue;
      await this.publishMember(session.app, c, 'mjoin', session.uid, count);
      const ts = this.clock.now();
      this.events.emit({ type: 'join', app: session.app, channel: c, uid: session.uid, count, ts });
    }
  }

  async ended(session: Session, _why: EndReason): Promise<void> {
    for (const c of [...session.channels]) await this.leaveChannel(session, c);
  }

  resumed(session: Session, cursor: Readonly<Record<string, number>>): void {
    const seen = new Map(Object.entries(cursor));
    for (const c of session.channels) this.relay.replay(session, c, seen.get(c));
  }
}

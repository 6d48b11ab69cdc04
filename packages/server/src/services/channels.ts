/**
 * channels: membership, channel messages, member events and member counts.
 *
 * Membership is in the ChannelStore; events travel on the channel topic to every node with
 * local members. Each node numbers a channel's events (`cs`), encodes each event once, writes
 * the same bytes to every local member, and keeps the last `channelReplayBuffer` of them so a
 * member that resumes gets what it missed, exactly once.
 */
import {
  ChannelMessageError,
  GetChannelMemberCountError,
  GetMembersError,
  JoinChannelError,
  LeaveChannelError,
  Limits,
  type ChannelEventPush,
  type ChannelSendReq,
  type JoinReq,
  type LoginResult,
  type Request,
  type WireMetadata,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { EndReason, SessionService } from '../service.js';
import type { Session } from '../session.js';
import { channelTopic } from '../topics.js';
import { corkTurn } from '../cork.js';

/** An event on a channel topic: a member event, a message, or an attribute notification. */
type ChannelEvent =
  | { t: 'mjoin' | 'mleft'; u: string; quiet: boolean }
  | { t: 'cmsg'; f: string; m: ChannelSendReq['m']; ts: number }
  | { t: 'cattrs'; attrs: Record<string, unknown> }
  | { t: 'cmeta'; d: WireMetadata };

interface LocalChannel {
  readonly app: string;
  readonly id: string;
  readonly members: Set<Session>;
  cs: number;
  /** The last events, encoded, for replay after a resume. */
  ring: { cs: number; data: Buffer }[];
  /** The member count last seen (all nodes). */
  count: number;
  countDirty: boolean;
  countSentAt: number;
}

type Occupancy = (app: string, channel: string, count: number, now: number) => void;

export class Channels implements SessionService {
  readonly ops = ['join', 'leave', 'csend', 'members', 'mcount', 'opts'] as const;
  /** Channel events encoded (one per event, whatever the member count): for tests and metrics. */
  encodedEvents = 0;
  private readonly local = new Map<string, LocalChannel>();
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly occupancyListeners: Occupancy[] = [];

  constructor(
    private readonly backend: Backend,
    private readonly config: ServerConfig,
    private readonly log: Logger,
    private readonly node: string,
  ) {
    this.sweepTimer = setInterval(() => this.sendCounts(Date.now()), 250);
    this.sweepTimer.unref();
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }

  /** Hears every member-count change seen on this node (e.g. to clear attributes of empty channels). */
  onOccupancy(listener: Occupancy): void {
    this.occupancyListeners.push(listener);
  }

  async handle(session: Session, f: Request, now: number): Promise<void> {
    switch (f.t) {
      case 'join':
        return this.join(session, f, now);
      case 'leave': {
        if (!session.channels.has(f.c))
          return session.send({
            t: 'err',
            i: f.i,
            c: LeaveChannelError.NOT_IN_CHANNEL,
            m: `leave: not in channel "${f.c}"`,
          });
        await this.leaveChannel(session, f.c);
        return session.send({ t: 'ok', i: f.i });
      }
      case 'opts':
        session.echoChannelMessages = f.echo;
        return session.send({ t: 'ok', i: f.i });
      case 'csend': {
        if (!f.force && !session.channels.has(f.c))
          return session.send({
            t: 'err',
            i: f.i,
            c: ChannelMessageError.NOT_IN_CHANNEL,
            m: `sendMessage: not in channel "${f.c}"; join it first`,
          });
        if (!session.sendRate.take(now))
          return session.send({
            t: 'err',
            i: f.i,
            c: ChannelMessageError.TOO_OFTEN,
            m: 'sendMessage: more than the allowed messages per window; slow down',
          });
        await this.publish(session.app, f.c, { t: 'cmsg', f: session.uid, m: f.m, ts: now });
        return session.send({ t: 'ok', i: f.i, r: { ts: now } });
      }
      case 'members': {
        if (!session.channels.has(f.c))
          return session.send({
            t: 'err',
            i: f.i,
            c: GetMembersError.NOT_IN_CHANNEL,
            m: `getMembers: not in channel "${f.c}"`,
          });
        if (
          !session
            .rate('members', Limits.getMembersRateCount, Limits.getMembersRateWindowMs)
            .take(now)
        )
          return session.send({
            t: 'err',
            i: f.i,
            c: GetMembersError.TOO_OFTEN,
            m: `getMembers: more than ${Limits.getMembersRateCount} calls per ${Limits.getMembersRateWindowMs / 1000} s`,
          });
        const ids = await this.backend.channels.members(session.app, f.c, Limits.maxMemberEvents);
        return session.send({ t: 'ok', i: f.i, r: { ids } });
      }
      case 'mcount': {
        if (!session.rate('mcount', Limits.memberCountRatePerSecond, 1000).take(now))
          return session.send({
            t: 'err',
            i: f.i,
            c: GetChannelMemberCountError.TOO_OFTEN,
            m: `getChannelMemberCount: more than ${Limits.memberCountRatePerSecond} call per second`,
          });
        const counts = await this.backend.channels.counts(session.app, f.ids);
        const r: Record<string, number> = {};
        f.ids.forEach((id, k) => (r[id] = counts[k]!));
        return session.send({ t: 'ok', i: f.i, r: { counts: r } });
      }
      default:
        return;
    }
  }

  private async join(session: Session, f: JoinReq, now: number): Promise<void> {
    const err = (c: number, m: string) => session.send({ t: 'err', i: f.i, c, m });
    if (session.channels.has(f.c))
      return err(JoinChannelError.ALREADY_JOINED, `join: already in channel "${f.c}"`);
    if (session.channels.size >= Limits.maxJoinedChannels)
      return err(
        JoinChannelError.EXCEED_LIMIT,
        `join: already in ${Limits.maxJoinedChannels} channels; the limit is ${Limits.maxJoinedChannels}`,
      );
    if (!session.rate('join', Limits.joinRateCount, Limits.joinRateWindowMs).take(now))
      return err(
        JoinChannelError.TOO_OFTEN,
        `join: more than ${Limits.joinRateCount} joins per ${Limits.joinRateWindowMs / 1000} s`,
      );
    if (
      !session
        .rate('join:' + f.c, Limits.sameChannelJoinRateCount, Limits.sameChannelJoinRateWindowMs)
        .take(now)
    )
      return err(
        JoinChannelError.JOIN_SAME_CHANNEL_TOO_OFTEN,
        `join: channel "${f.c}" more than ${Limits.sameChannelJoinRateCount} times per ${Limits.sameChannelJoinRateWindowMs / 1000} s`,
      );
    session.addChannel(f.c);
    const lc = await this.localChannel(session.app, f.c);
    lc.members.add(session);
    const { added, count } = await this.backend.channels.join(session.app, f.c, session.uid);
    lc.count = count;
    for (const l of this.occupancyListeners) l(session.app, f.c, count, now);
    const r: { cs: number; n: number; members?: string[] } = { cs: lc.cs, n: count };
    if (f.list)
      r.members = await this.backend.channels.members(session.app, f.c, Limits.maxJoinMemberList);
    session.send({ t: 'ok', i: f.i, r });
    // MemberCountUpdated fires right after joining.
    session.send({ t: 'ccount', c: f.c, n: count });
    if (added)
      await this.publish(session.app, f.c, {
        t: 'mjoin',
        u: session.uid,
        quiet: count > Limits.maxMemberEvents,
      });
  }

  /** Leaves one channel (leave(), or the session ended). */
  private async leaveChannel(session: Session, channel: string): Promise<void> {
    session.removeChannel(channel);
    await this.dropLocal(session, channel);
    const { removed, count } = await this.backend.channels.leave(session.app, channel, session.uid);
    for (const l of this.occupancyListeners) l(session.app, channel, count, Date.now());
    if (removed)
      await this.publish(session.app, channel, {
        t: 'mleft',
        u: session.uid,
        quiet: count + 1 > Limits.maxMemberEvents,
      });
  }

  /** A dead node's user: leave its channels (members see MemberLeft). */
  async endedElsewhere(app: string, uid: string): Promise<void> {
    for (const channel of await this.backend.channels.channelsOf(app, uid)) {
      const { removed, count } = await this.backend.channels.leave(app, channel, uid);
      for (const l of this.occupancyListeners) l(app, channel, count, Date.now());
      if (removed)
        await this.publish(app, channel, {
          t: 'mleft',
          u: uid,
          quiet: count + 1 > Limits.maxMemberEvents,
        });
    }
  }

  /** The session moved to another node: this node stops delivering to it; it stays a member. */
  async handedOff(session: Session): Promise<void> {
    for (const c of session.channels) await this.dropLocal(session, c);
  }

  /** A session moved here: deliver its channels' events from now on, numbered by this node. */
  async adopted(session: Session, _state: unknown, result: LoginResult): Promise<void> {
    const cs: Record<string, number> = {};
    for (const c of session.channels) {
      const lc = await this.localChannel(session.app, c);
      lc.members.add(session);
      cs[c] = lc.cs;
    }
    result.cs = cs;
  }

  /** Memberships written again; where the user had been taken out, the others see it join. */
  async reasserted(session: Session): Promise<void> {
    for (const c of session.channels) {
      const { added, count } = await this.backend.channels.join(session.app, c, session.uid);
      if (added)
        await this.publish(session.app, c, {
          t: 'mjoin',
          u: session.uid,
          quiet: count > Limits.maxMemberEvents,
        });
    }
  }

  async ended(session: Session, _why: EndReason): Promise<void> {
    for (const c of [...session.channels]) await this.leaveChannel(session, c);
  }

  resumed(session: Session, cursor: Readonly<Record<string, number>>): void {
    for (const c of session.channels) {
      const lc = this.local.get(session.app + '/' + c);
      if (!lc) continue;
      const seen = cursor[c] ?? lc.cs;
      for (const e of lc.ring) if (e.cs > seen) session.ws?.send(e.data, { binary: false });
      session.send({ t: 'ccount', c, n: lc.count });
    }
  }

  /**
   * Publishes an event to every node with members of the channel. Local members get it at
   * once; other nodes through the broker (this node skips its own publications).
   */
  async publish(app: string, channel: string, event: ChannelEvent): Promise<void> {
    const lc = this.local.get(app + '/' + channel);
    if (lc) this.onEvent(lc, event);
    await this.backend.broker.publish(channelTopic(app, channel), { ...event, o: this.node });
  }

  /** This node stops delivering `channel` to `session` (and listening, if it was the last). */
  private async dropLocal(session: Session, channel: string): Promise<void> {
    const lc = this.local.get(session.app + '/' + channel);
    if (!lc) return;
    lc.members.delete(session);
    if (lc.members.size === 0) {
      this.local.delete(session.app + '/' + channel);
      await this.backend.broker.unsubscribe(channelTopic(session.app, channel));
    }
  }

  private async localChannel(app: string, id: string): Promise<LocalChannel> {
    const key = app + '/' + id;
    let lc = this.local.get(key);
    if (!lc) {
      lc = {
        app,
        id,
        members: new Set(),
        cs: 0,
        ring: [],
        count: 0,
        countDirty: false,
        countSentAt: 0,
      };
      this.local.set(key, lc);
      const created = lc;
      await this.backend.broker.subscribe(channelTopic(app, id), (p) => {
        const e = p as ChannelEvent & { o?: string };
        if (e.o !== this.node) this.onEvent(created, e);
      });
    }
    return lc;
  }

  private onEvent(lc: LocalChannel, e: ChannelEvent): void {
    if (e.t === 'mjoin' || e.t === 'mleft') {
      lc.countDirty = true;
      if (e.quiet) return;
    }
    const cs = ++lc.cs;
    let frame: ChannelEventPush;
    let skip: string | undefined;
    let echo = false;
    if (e.t === 'cmsg') {
      frame = { t: 'cmsg', c: lc.id, cs, f: e.f, m: e.m, ts: e.ts };
      skip = e.f;
      echo = true;
    } else if (e.t === 'cattrs') {
      frame = { t: 'cattrs', c: lc.id, cs, attrs: e.attrs as never };
    } else if (e.t === 'cmeta') {
      frame = { t: 'cmeta', c: lc.id, cs, d: e.d };
    } else {
      frame = { t: e.t, c: lc.id, cs, u: e.u };
      skip = e.u;
    }
    const data = Buffer.from(JSON.stringify(frame));
    this.encodedEvents++;
    lc.ring.push({ cs, data });
    if (lc.ring.length > this.config.channelReplayBuffer)
      lc.ring.splice(0, lc.ring.length - this.config.channelReplayBuffer);
    for (const s of lc.members) {
      if (s.ws && s.ws.readyState === 1 && (s.uid !== skip || (echo && s.echoChannelMessages))) {
        corkTurn(s.ws);
        s.ws.send(data, { binary: false });
      }
    }
  }

  /** MemberCountUpdated: at most once a second per channel (once per 3 s above 512 members). */
  private sendCounts(now: number): void {
    for (const lc of this.local.values()) {
      if (!lc.countDirty) continue;
      if (now - lc.countSentAt < (lc.count > Limits.maxMemberEvents ? 3000 : 1000)) continue;
      lc.countDirty = false;
      lc.countSentAt = now;
      this.backend.channels.counts(lc.app, [lc.id]).then(
        ([n]) => {
          lc.count = n!;
          const data = Buffer.from(JSON.stringify({ t: 'ccount', c: lc.id, n }));
          for (const s of lc.members)
            if (s.ws && s.ws.readyState === 1) {
              corkTurn(s.ws);
              s.ws.send(data, { binary: false });
            }
        },
        (err: unknown) => this.log.error({ err }, 'member count failed'),
      );
    }
  }
}

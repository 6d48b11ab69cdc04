/**
 * Channel relay: how a channel's events reach its members on this node. Events travel on the
 * channel topic to every node with local members. Each node numbers a channel's events (`cs`),
 * hands each to the Hub's fan-out (encoded once, the same bytes to every member), and keeps the
 * last `channelReplayBuffer` of them so a member that resumes gets what it missed, exactly
 * once. Member counts go out at most once a second per channel (once per 3 s above 512).
 */
import {
  Limits,
  type ChannelEventPush,
  type ChannelSendReq,
  type Clock,
  type TimerHandle,
  type WireMetadata,
} from '@parley/protocol';
import type { Broker } from '../backend/broker.js';
import type { ChannelStore } from '../backend/channel-store.js';
import type { ServerConfig } from '../config.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../log.js';
import type { Session } from '../session.js';
import { channelTopic } from '../topics.js';

/** An event on a channel topic: a member event, a message, or an attribute notification. */
export type ChannelEvent =
  | { t: 'mjoin' | 'mleft'; u: string; quiet: boolean }
  | { t: 'cmsg'; f: string; m: ChannelSendReq['m']; ts: number }
  | { t: 'cattrs'; attrs: Record<string, unknown> }
  | { t: 'cmeta'; d: WireMetadata };

/** A channel with members on this node (the members themselves are indexed by the Hub). */
interface LocalChannel {
  readonly app: string;
  readonly id: string;
  cs: number;
  /** The last events, encoded, for replay after a resume. */
  ring: { cs: number; data: Buffer }[];
  /** The member count last seen (all nodes). */
  count: number;
  countDirty: boolean;
  countSentAt: number;
}

export class ChannelRelay {
  private readonly local = new Map<string, LocalChannel>();
  private readonly timer: TimerHandle;

  constructor(
    private readonly broker: Broker,
    private readonly store: ChannelStore,
    private readonly hub: Hub,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly node: string,
  ) {
    this.timer = clock.setInterval(() => this.sendCounts(clock.now()), config.memberCountSweepMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.clock.clear(this.timer);
  }

  /**
   * Publishes an event to every node with members of the channel. Local members get it at
   * once; other nodes through the broker (this node skips its own publications).
   */
  async publish(app: string, channel: string, event: ChannelEvent): Promise<void> {
    const lc = this.local.get(app + '/' + channel);
    if (lc) this.onEvent(lc, event);
    await this.broker.publish(channelTopic(app, channel), { ...event, o: this.node });
  }

  /** `session` gets the channel's events from now on; answers the channel's sequence. */
  async add(session: Session, channel: string): Promise<LocalChannel> {
    const lc = await this.localChannel(session.app, channel);
    this.hub.addMember(session.app, channel, session);
    return lc;
  }

  /** This node stops delivering `channel` to `session` (and listening, if it was the last). */
  async drop(session: Session, channel: string): Promise<void> {
    if (!this.hub.removeMember(session.app, channel, session)) return;
    this.local.delete(session.app + '/' + channel);
    await this.broker.unsubscribe(channelTopic(session.app, channel));
  }

  /** The member count of a channel changed (as this node's write saw it). */
  counted(app: string, channel: string, count: number): void {
    const lc = this.local.get(app + '/' + channel);
    if (lc) lc.count = count;
  }

  /** A resumed member gets the events after `seen` it missed, then the current count. */
  replay(session: Session, channel: string, seen: number | undefined): void {
    const lc = this.local.get(session.app + '/' + channel);
    if (!lc) return;
    const after = seen ?? lc.cs;
    for (const e of lc.ring) if (e.cs > after) this.hub.resend(session, e.data);
    this.hub.tell(session, { t: 'ccount', c: channel, n: lc.count });
  }

  private async localChannel(app: string, id: string): Promise<LocalChannel> {
    const key = app + '/' + id;
    let lc = this.local.get(key);
    if (!lc) {
      lc = { app, id, cs: 0, ring: [], count: 0, countDirty: false, countSentAt: 0 };
      this.local.set(key, lc);
      const created = lc;
      await this.broker.subscribe(channelTopic(app, id), (p) => {
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
    let except: string | undefined;
    if (e.t === 'cmsg') {
      frame = { t: 'cmsg', c: lc.id, cs, f: e.f, m: e.m, ts: e.ts };
      // Not echoed to its sender, unless the sender's session asked for it (legacy Signaling).
      except = this.hub.byUserId(lc.app, e.f)?.echoChannelMessages ? undefined : e.f;
    } else if (e.t === 'cattrs') {
      frame = { t: 'cattrs', c: lc.id, cs, attrs: e.attrs as never };
    } else if (e.t === 'cmeta') {
      frame = { t: 'cmeta', c: lc.id, cs, d: e.d };
    } else {
      frame = { t: e.t, c: lc.id, cs, u: e.u };
      except = e.u;
    }
    const data = this.hub.fanout(lc.app, lc.id, frame, except);
    lc.ring.push({ cs, data });
    if (lc.ring.length > this.config.channelReplayBuffer)
      lc.ring.splice(0, lc.ring.length - this.config.channelReplayBuffer);
  }

  private sendCounts(now: number): void {
    for (const lc of this.local.values()) {
      if (!lc.countDirty) continue;
      const interval =
        lc.count > Limits.maxMemberEvents
          ? Limits.largeChannelCountIntervalMs
          : Limits.memberCountIntervalMs;
      if (now - lc.countSentAt < interval) continue;
      lc.countDirty = false;
      lc.countSentAt = now;
      this.store.counts(lc.app, [lc.id]).then(
        ([n]) => {
          lc.count = n!;
          this.hub.fanout(lc.app, lc.id, { t: 'ccount', c: lc.id, n: n! });
        },
        (err: unknown) => this.log.error({ err }, 'member count failed'),
      );
    }
  }
}

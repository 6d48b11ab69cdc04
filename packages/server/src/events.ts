/**
 * The server's event stream: every fact — a login, a logout and why, a join, a leave, a message
 * and what became of it, an attribute or metadata change, an invitation's phase, a ban, a dead
 * node — emitted once, on the node where it became true, after the store write that made it
 * true. Metrics, webhooks, the REST event pull, history and the admin console listen here, off
 * the hot path: emitting is a synchronous call into each listener, so a listener only records
 * or queues.
 *
 * With no listener an event costs one Map lookup: hot paths check `wants(type)` before they
 * build the event object.
 */
import type { WireMessage } from '@parley/protocol';
import type { Logger } from './log.js';

/** Why a session ended. */
export type LogoutReason = 'logout' | 'remote-login' | 'banned' | 'expired' | 'timeout';

/** Who sent a message: an SDK client, or an application backend through the REST API. */
export type MessageSource = 'sdk' | 'rest';

/**
 * What the sender heard of a peer message: the receiver's SDK acknowledged it (`delivered`);
 * it was kept for an offline receiver (`stored`); it waits in the session of a receiver who is
 * reconnecting, for the resume (`pending`); or it was not delivered and not kept (`dropped`).
 */
export type PeerOutcome = 'delivered' | 'stored' | 'pending' | 'dropped';

export type InvitationPhase =
  'sent' | 'received' | 'accepted' | 'refused' | 'canceled' | 'confirmed' | 'failed';

interface Base {
  app: string;
  /** When it happened, ms since the epoch (the server's clock). */
  ts: number;
}

export interface LoginEvent extends Base {
  type: 'login';
  uid: string;
  sid: string;
  node: string;
}
export interface LogoutEvent extends Base {
  type: 'logout';
  uid: string;
  sid: string;
  node: string;
  reason: LogoutReason;
}
export interface JoinEvent extends Base {
  type: 'join';
  channel: string;
  uid: string;
  /** Members after the join. */
  count: number;
}
export interface LeaveEvent extends Base {
  type: 'leave';
  channel: string;
  uid: string;
  /** Members after the leave. */
  count: number;
}
export interface PeerMessageEvent extends Base {
  type: 'peer.message';
  mid: string;
  from: string;
  to: string;
  message: WireMessage;
  /** serverReceivedTs: when the server took the message. */
  sentTs: number;
  source: MessageSource;
  outcome: PeerOutcome;
}
export interface ChannelMessageEvent extends Base {
  type: 'channel.message';
  channel: string;
  from: string;
  message: WireMessage;
  source: MessageSource;
}
export interface AttributesChangedEvent extends Base {
  type: 'attributes.changed';
  owner: 'user' | 'channel';
  /** The user or channel id. */
  id: string;
  /** Who changed them ('' for the server itself, e.g. clearing after logout). */
  by: string;
  /** The attributes after the change. */
  attributes: ReadonlyMap<string, string>;
}
export interface MetadataChangedEvent extends Base {
  type: 'metadata.changed';
  owner: 'user' | 'channel';
  id: string;
  by: string;
  majorRevision: number;
}
export interface InvitationEvent extends Base {
  type: 'invitation';
  id: string;
  caller: string;
  callee: string;
  channelId: string;
  phase: InvitationPhase;
  /** For `failed`: the failure reason as the side that fails reports it. */
  reason?: string;
}
export interface BanEvent extends Base {
  type: 'ban';
  uid: string;
  /** When the ban ends, ms since the epoch; 0 = lifted. */
  untilMs: number;
  /** Whether a live session was kicked. */
  kicked: boolean;
}
export interface NodeDownEvent extends Base {
  type: 'node.down';
  /** The dead node (the event's `app` is ''). */
  node: string;
  /** Its sessions this node ended. */
  sessions: number;
}

export type ServerEvent =
  | LoginEvent
  | LogoutEvent
  | JoinEvent
  | LeaveEvent
  | PeerMessageEvent
  | ChannelMessageEvent
  | AttributesChangedEvent
  | MetadataChangedEvent
  | InvitationEvent
  | BanEvent
  | NodeDownEvent;

export type ServerEventType = ServerEvent['type'];
export type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;
type Listener = (event: ServerEvent) => void;

export class EventStream {
  private readonly listeners = new Map<ServerEventType, Set<Listener>>();

  constructor(private readonly log: Logger) {}

  /** Calls `listener` with every event of `type`; answers the function that stops it. */
  on<T extends ServerEventType>(type: T, listener: (event: EventOf<T>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => {
      set.delete(l);
      if (set.size === 0) this.listeners.delete(type);
    };
  }

  /** Calls `listener` with every event. */
  onAny(listener: Listener): () => void {
    const offs = EVENT_TYPES.map((t) => this.on(t, listener));
    return () => offs.forEach((off) => off());
  }

  /** Whether anyone listens to `type` (check before building an event on a hot path). */
  wants(type: ServerEventType): boolean {
    return this.listeners.has(type);
  }

  /** Hands `event` to its listeners; one that throws is logged and stops nothing. */
  emit(event: ServerEvent): void {
    const set = this.listeners.get(event.type);
    if (!set) return;
    for (const l of set) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'an event listener failed');
      }
    }
  }
}

export const EVENT_TYPES: readonly ServerEventType[] = [
  'login',
  'logout',
  'join',
  'leave',
  'peer.message',
  'channel.message',
  'attributes.changed',
  'metadata.changed',
  'invitation',
  'ban',
  'node.down',
];

/**
 * Node inbox: the one broker topic of this node (`node/<id>`), on which other nodes send it
 * events for its users, receipts for its senders, kicks of its sessions, session handoffs, and
 * word that a user it sent an event to is not on the node it was remembered on.
 * What arrives comes from other nodes — maybe of another version — so it is checked, and
 * nothing is thrown back into the broker.
 */
import type { KickReason } from '@parley/protocol';
import type { Broker } from './backend/broker.js';
import type { TakeReply, TakeRequest } from './handoff.js';
import type { Logger } from './log.js';
import type { KickEvent } from './login.js';
import type { Peers, ReceiptEvent } from './services/peers.js';
import type { SessionMoves } from './session-moves.js';
import type { Sessions } from './sessions.js';
import { nodeTopic } from './topics.js';
import type { StaleLocation, UserEnvelope, UserRouter } from './user-router.js';

const KICK_REASONS: ReadonlySet<unknown> = new Set<KickReason>([
  'REMOTE_LOGIN',
  'BANNED_BY_SERVER',
  'TOKEN_EXPIRED',
]);

/** What arrives on a node's inbox topic. */
export type NodeEvent =
  ReceiptEvent | KickEvent | UserEnvelope | StaleLocation | TakeRequest | TakeReply;

export class NodeInbox {
  constructor(
    private readonly broker: Broker,
    private readonly node: string,
    private readonly router: UserRouter,
    private readonly peers: Peers,
    private readonly sessions: Sessions,
    private readonly moves: SessionMoves,
    private readonly log: Logger,
  ) {}

  async open(): Promise<void> {
    await this.broker.subscribe(nodeTopic(this.node), (p) => {
      if (!isNodeEvent(p)) {
        this.log.warn({ event: p }, 'ignored a malformed node event');
        return;
      }
      try {
        this.dispatch(p);
      } catch (err) {
        this.log.error({ err }, 'a node event failed');
      }
    });
  }

  private dispatch(e: NodeEvent): void {
    switch (e.t) {
      case 'take':
        this.moves.giveAway(e).catch((err: unknown) => this.sessions.fail(err));
        return;
      case 'given':
        return this.moves.given(e);
      case 'u':
        return this.router.arrived(e);
      case 'stale':
        return this.router.staleLocation(e);
      case 'recv':
        return this.peers.onReceipt(e);
      case 'kick':
        return this.sessions.replacedElsewhere(e.sid, e.why);
    }
  }
}

/** The shape of what may arrive on a node's inbox topic. */
function isNodeEvent(p: unknown): p is NodeEvent {
  if (typeof p !== 'object' || p === null) return false;
  const e = p as Record<string, unknown>;
  switch (e.t) {
    case 'u':
      return (
        typeof e.a === 'string' &&
        typeof e.u === 'string' &&
        typeof e.e === 'object' &&
        e.e !== null &&
        typeof (e.e as { t?: unknown }).t === 'string' &&
        (e.via === undefined || typeof e.via === 'string')
      );
    case 'stale':
      return typeof e.a === 'string' && typeof e.u === 'string' && typeof e.n === 'string';
    case 'recv':
      return typeof e.reply === 'object' && e.reply !== null && typeof e.recv === 'boolean';
    case 'kick':
      return typeof e.sid === 'string' && KICK_REASONS.has(e.why);
    case 'take':
      return typeof e.sid === 'string' && typeof e.rid === 'number' && typeof e.to === 'string';
    case 'given':
      return (
        typeof e.rid === 'number' &&
        (e.state === null ||
          (typeof e.state === 'object' && Array.isArray((e.state as { outbox?: unknown }).outbox)))
      );
    default:
      return false;
  }
}

/**
 * UserRouter: sends an event to whichever node holds a user, and hands the events that reach
 * this node to the service handling their type. The user registry says which session and node hold
 * (app, uid); the event goes to that node's inbox topic (one subscription per node, none per
 * user), or straight to the local session when the user is here. An event that arrives after
 * its user left (moved on, or went offline) follows the user once; if nobody takes it, its
 * handler hears it without a holder (a peer message is then kept offline).
 *
 * Where a user of another node was found is remembered (UserLocations): the next event for it
 * goes straight there, marked `via` this node, and a node it reaches without its user tells
 * this one (`stale`) as it sends the event after the user.
 */
import type { Backend } from './backend/backend.js';
import type { Hub } from './hub.js';
import type { Logger } from './log.js';
import type { Session } from './session.js';
import type { UserEvent } from './service.js';
import { nodeTopic } from './topics.js';
import { type Lookup, UserLocations } from './user-locations.js';

/** What travels on a node topic for one of its users. */
export interface UserEnvelope {
  t: 'u';
  a: string;
  u: string;
  e: UserEvent;
  /** Set once the event was forwarded (the user had moved): it is not forwarded again. */
  hop?: 1;
  /** The sending node, when it used a remembered location: told if the user is not here. */
  via?: string;
}

/** A node that got an event `via` a remembered location, and does not hold its user. */
export interface StaleLocation {
  t: 'stale';
  a: string;
  u: string;
  /** The node that does not hold the user. */
  n: string;
}

/**
 * Handles user events of one type. `holder` is the user's live session on this node, or
 * undefined when no node could be found to take the event (the user is offline).
 */
export type UserEventHandler = (
  app: string,
  uid: string,
  holder: Session | undefined,
  event: UserEvent,
) => void;

/**
 * Hears an event for (app, uid) about to go to `node` (see `UserRouter.watchAway`), and when
 * such a publish reached nobody and the event goes elsewhere (`dropped`, before it is heard of
 * again with its new node).
 */
export interface AwayWatcher {
  routed(node: string, app: string, uid: string, event: UserEvent): void;
  dropped(event: UserEvent): void;
}

export class UserRouter {
  private readonly handlers = new Map<string, UserEventHandler>();
  /** Hears events of a type before they are published to the other node holding their user. */
  private readonly away = new Map<string, AwayWatcher>();
  /** Users whose session is on its way here from another node: their events wait. */
  private readonly arriving = new Map<string, UserEnvelope[]>();
  /** Where users of other nodes were last found. */
  private readonly locations = new UserLocations();

  constructor(
    private readonly backend: Backend,
    private readonly node: string,
    private readonly hub: Hub,
    private readonly log: Logger,
  ) {}

  /** Routes user events of type `t` to `handler` (one handler per type). */
  handle(t: string, handler: UserEventHandler): void {
    this.handlers.set(t, handler);
  }

  /**
   * `watcher` hears each event of type `t` this node publishes (not forwards) to another node
   * holding its user, right before the publish (so before any answer from there).
   */
  watchAway(t: string, watcher: AwayWatcher): void {
    this.away.set(t, watcher);
  }

  /** Hands an event to this node's handler of its type, for the user's session here. */
  handleHere(session: Session, e: UserEvent): void {
    this.handlers.get(e.t)?.(session.app, session.uid, session, e);
  }

  /** Sends `e` to (app, uid)'s session; answers how many nodes took it (0: the user is offline). */
  async toUser(app: string, uid: string, e: UserEvent, hop?: 1): Promise<number> {
    const r = await this.reach(app, uid, e, hop);
    return r === 'unheard' ? 0 : r;
  }

  /** As `toUser`, but 'unheard' when the node holding the user did not listen (it died). */
  async reach(app: string, uid: string, e: UserEvent, hop?: 1): Promise<number | 'unheard'> {
    if (hop) {
      const holder = await this.backend.users.locateUser(app, uid);
      return this.publishTo(holder?.node, app, uid, e, hop);
    }
    const known = this.locations.get(app, uid);
    if (typeof known !== 'string')
      return this.publishTo((await this.lookUp(app, uid, known))?.node, app, uid, e);
    const heard = await this.publishTo(known, app, uid, e);
    if (heard !== 'unheard') return heard;
    // Nobody listens on that node any more: the event goes where the registry says the user is
    // now ('unheard' again if it still names that node, until the node is reaped).
    this.locations.forgetNode(known);
    if (this.away.size > 0) this.away.get(e.t)?.dropped(e);
    const holder = await this.lookUp(app, uid, this.locations.get(app, uid));
    return this.publishTo(holder?.node, app, uid, e);
  }

  /**
   * Where (app, uid) is, from the registry: one lookup for every event that comes while it is
   * under way (`pending`). The answer is kept before any of them resumes, and they resume in
   * the order they came.
   */
  private lookUp(app: string, uid: string, pending: string | Lookup | undefined): Lookup {
    if (pending !== undefined && typeof pending !== 'string') return pending;
    const lookup: Lookup = this.backend.users.locateUser(app, uid).then(
      (holder) => {
        const node = holder && holder.node !== this.node ? holder.node : undefined;
        this.locations.settled(app, uid, lookup, node);
        return holder;
      },
      (err: unknown) => {
        this.locations.settled(app, uid, lookup, undefined);
        throw err;
      },
    );
    this.locations.remember(app, uid, lookup);
    return lookup;
  }

  /** Sends `e` to (app, uid) on `node` (none: the user is offline). */
  private async publishTo(
    node: string | undefined,
    app: string,
    uid: string,
    e: UserEvent,
    hop?: 1,
  ): Promise<number | 'unheard'> {
    if (node === undefined) return 0;
    const env: UserEnvelope = hop
      ? { t: 'u', a: app, u: uid, e, hop }
      : { t: 'u', a: app, u: uid, e, via: this.node };
    if (node === this.node) return this.toLocalUser({ ...env, hop: 1 }) ? 1 : 0;
    if (!hop && this.away.size > 0) this.away.get(e.t)?.routed(node, app, uid, e);
    const heard = await this.backend.broker.publish(nodeTopic(node), env);
    return heard > 0 ? heard : 'unheard';
  }

  /** An envelope reached this node: to the user's session here, else after the user. */
  arrived(env: UserEnvelope): void {
    if (this.toLocalUser(env)) return;
    if (env.via !== undefined && env.via !== this.node) {
      const stale: StaleLocation = { t: 'stale', a: env.a, u: env.u, n: this.node };
      this.backend.broker
        .publish(nodeTopic(env.via), stale)
        .catch((err: unknown) =>
          this.log.warn({ err: String(err) }, 'telling a stale location failed'),
        );
    }
    this.reroute(env).catch((err: unknown) =>
      this.log.error({ err }, 'rerouting a user event failed'),
    );
  }

  /** Node `e.n` does not hold the user: the location remembered for it is forgotten. */
  staleLocation(e: StaleLocation): void {
    this.locations.forget(e.a, e.u, e.n);
  }

  /**
   * The user's session is on its way to this node: its events wait until `release`, so that
   * they are numbered after the frames that travel with the session.
   */
  hold(app: string, uid: string): UserEnvelope[] {
    const waiting: UserEnvelope[] = [];
    this.arriving.set(app + '/' + uid, waiting);
    return waiting;
  }

  /** Delivers, in order, the events that waited (see `hold`). */
  release(app: string, uid: string, waiting: UserEnvelope[]): void {
    const key = app + '/' + uid;
    if (this.arriving.get(key) === waiting) this.arriving.delete(key);
    for (const env of waiting) this.arrived(env);
  }

  /**
   * An event for a user of this node. Answers false, changing nothing, when no live session of
   * the user is here (the user left or moved on).
   */
  private toLocalUser(env: UserEnvelope): boolean {
    if (this.arriving.size > 0) {
      const waiting = this.arriving.get(env.a + '/' + env.u);
      if (waiting) {
        waiting.push(env);
        return true;
      }
    }
    const found = this.hub.byUserId(env.a, env.u);
    if (!found || found.ended) return false;
    this.handlers.get(env.e.t)?.(env.a, env.u, found, env.e);
    return true;
  }

  /** Follows the user once; an event nobody takes goes to its handler without a holder. */
  private async reroute(env: UserEnvelope): Promise<void> {
    const taken = env.hop ? 0 : await this.toUser(env.a, env.u, env.e, 1);
    if (taken === 0) this.handlers.get(env.e.t)?.(env.a, env.u, undefined, env.e);
  }
}

/**
 * UserLocations: which other node held each user the last time this node looked it up, so that
 * the next event for the user is published there without asking the user registry again (on
 * Redis, a round trip per peer message). While a lookup of a user is under way it is kept
 * here too, and the events that come meanwhile wait for that one answer: they go out in the
 * order they came, none overtaking another by a location learned sooner.
 *
 * A location may be stale: the user moved on, or went offline. That is safe, because an event
 * that reaches a node without its user follows the user (`UserRouter.arrived`), as an event
 * routed just before a move always could; the node it reached then says so (`stale`), and the
 * location is forgotten. A node that stopped listening is forgotten by the sender itself.
 * Only other nodes are kept: a user of this node is found in the Hub, so on one node this
 * stays empty. At most `capacity` users are kept; past that the oldest half is dropped.
 */
import type { UserHolder } from './backend/user-registry.js';

/** A lookup of a user under way. */
export type Lookup = Promise<UserHolder | undefined>;

export class UserLocations {
  /** app → uid → the node, or the lookup under way. */
  private readonly byApp = new Map<string, Map<string, string | Lookup>>();
  private count = 0;

  constructor(private readonly capacity = 100_000) {}

  get size(): number {
    return this.count;
  }

  /** The node (app, uid) was last found on, or the lookup of it under way. */
  get(app: string, uid: string): string | Lookup | undefined {
    return this.byApp.get(app)?.get(uid);
  }

  /** (app, uid) is on `node`, or being looked up (`lookup`, until `settled`). */
  remember(app: string, uid: string, at: string | Lookup): void {
    let users = this.byApp.get(app);
    if (!users) this.byApp.set(app, (users = new Map()));
    if (!users.has(uid)) {
      if (this.count >= this.capacity) this.dropOldest(Math.ceil(this.capacity / 2));
      this.count++;
    }
    users.set(uid, at);
  }

  /** `lookup` answered: `node` is kept for the user, or (undefined) nothing is. */
  settled(app: string, uid: string, lookup: Lookup, node: string | undefined): void {
    if (this.get(app, uid) !== lookup) return;
    if (node === undefined) this.remove(app, uid);
    else this.byApp.get(app)!.set(uid, node);
  }

  /** Forgets where (app, uid) is, if it is remembered on `node` (not already somewhere newer). */
  forget(app: string, uid: string, node: string): void {
    if (this.get(app, uid) === node) this.remove(app, uid);
  }

  /** Forgets every user remembered on `node` (it stopped listening). */
  forgetNode(node: string): void {
    for (const [app, users] of this.byApp)
      for (const [uid, at] of users) if (at === node) this.remove(app, uid);
  }

  private remove(app: string, uid: string): void {
    const users = this.byApp.get(app)!;
    users.delete(uid);
    this.count--;
    if (users.size === 0) this.byApp.delete(app);
  }

  /** Drops `n` users, the longest-known first (Maps iterate in insertion order). */
  private dropOldest(n: number): void {
    for (const [app, users] of this.byApp) {
      for (const uid of users.keys()) {
        if (n-- <= 0) return;
        this.remove(app, uid);
      }
    }
  }
}

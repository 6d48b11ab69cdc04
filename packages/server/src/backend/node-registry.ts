/**
 * NodeRegistry: the nodes of a deployment, whether each is alive, and the sessions each holds,
 * so that when a node dies another ends its sessions (its users go offline and leave their
 * channels) instead of leaving them held forever. Implementations live beside the other
 * backend files and pass `test/node-registry-conformance.ts`.
 *
 * Guarantees:
 * - Liveness is a mark with a lifetime: a node is alive while the mark it last set with
 *   `nodeAlive` lasts, and only then. A node renews it well within its ttl (each heartbeat).
 * - A lapsed node's sessions are taken at most once: of the nodes that race to take them, one
 *   gets them and the others get []; a node that marked itself again first keeps them.
 * - Registering is idempotent, and so is unregistering. A session id names one session.
 *
 * Not atomic with the UserRegistry (other keys, other Redis Cluster slots): whoever takes a
 * session releases its user with `releaseUser(holder)`, which changes nothing if the user was
 * claimed or moved elsewhere meanwhile.
 *
 * What expires: the mark, `ttlMs` after it was set. Sessions never expire; they are
 * unregistered when they end or move, or taken with their lapsed node.
 */

/** A session as its node registered it. */
export interface NodeSession {
  app: string;
  uid: string;
  sid: string;
}

export interface NodeRegistry {
  /** Records that `node` holds session `sid` of (app, uid), so others can end it if the node dies. */
  registerSession(node: string, app: string, uid: string, sid: string): Promise<void>;
  /** Forgets that `node` holds session `sid` of (app, uid) (it ended, or moved to another node). */
  unregisterSession(node: string, app: string, uid: string, sid: string): Promise<void>;
  /**
   * Marks `node` alive for the next `ttlMs`. Answers whether it was still marked: false the
   * first time, and after its mark lapsed or the registry lost its data (a restarted Redis
   * without persistence), when the node must register its sessions again.
   */
  nodeAlive(node: string, ttlMs: number): Promise<boolean>;
  /**
   * The known nodes whose mark has lapsed (or that never set one): every node that marked itself
   * or registered a session, and was not taken since. One may have no sessions left.
   */
  lapsedNodes(): Promise<string[]>;
  /**
   * Takes the sessions of a lapsed node, once: the first caller gets them and the node is
   * forgotten; a node that is alive again keeps them (answers []).
   */
  takeSessions(node: string): Promise<NodeSession[]>;
}

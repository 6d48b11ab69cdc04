/**
 * UserRegistry: which session, on which node, holds each user, and that user's presence.
 * Shared by every node; implementations live beside the other backend files and pass
 * `test/user-registry-conformance.ts`.
 *
 * Guarantees:
 * - At most one session holds a user at a time. A claim always wins (the later login) and is
 *   told whom it replaced, so that node can end the old session.
 * - Each call is atomic on its user: a move or a release names the holder it expects (session
 *   and node) and changes nothing when another claim, move or release came first, so nodes
 *   racing on one user settle it.
 * - Presence is part of the holder: it is ONLINE when claimed and goes with the release; a user
 *   nobody holds is OFFLINE.
 *
 * Nothing here expires by time. A holder lasts until it is released: by its own node when the
 * session ends, or, when that node died, by another through the NodeRegistry. What the shared
 * state loses (a Redis restarted without persistence) the nodes write again (see
 * `NodeRegistry.nodeAlive`).
 */
import type { PeerState } from '@parley/protocol';

/** The session that holds a user, and the node that holds the session. */
export interface UserHolder {
  sid: string;
  node: string;
}

export interface UserRegistry {
  /**
   * Makes `holder` the one session of (app, uid) and answers the holder it replaced, if any.
   * At most one session holds a user at a time (a later login wins).
   */
  claimUser(app: string, uid: string, holder: UserHolder): Promise<UserHolder | undefined>;
  /** The session holding (app, uid) and its node; undefined when the user is offline. */
  locateUser(app: string, uid: string): Promise<UserHolder | undefined>;
  /**
   * Records that (app, uid)'s session moved from `holder` to node `to` (a resume on another
   * node). Answers false, changing nothing, when `holder` no longer holds the user.
   */
  moveUser(app: string, uid: string, holder: UserHolder, to: string): Promise<boolean>;
  /**
   * Ends (app, uid)'s session if `holder` (that session on that node) still holds it; answers
   * whether it did. A session that moved to another node is not released by its old one.
   */
  releaseUser(app: string, uid: string, holder: UserHolder): Promise<boolean>;
  /** Records the presence of a user who holds a session (ONLINE or UNREACHABLE). */
  setPresence(app: string, uid: string, state: Exclude<PeerState, 'OFFLINE'>): Promise<void>;
  /** The presence of each uid; a user without a session is OFFLINE. */
  getPresence(app: string, uids: readonly string[]): Promise<PeerState[]>;
}

/**
 * The seam for feature services (channels, invitations, …): which requests a service answers,
 * which user events it handles, and the session lifecycle moments it hears about.
 * Services are plain logic over the Backend and Sessions; they never touch sockets.
 */
import type { LoginResult, Request } from '@parley/protocol';
import type { Session } from './session.js';

export type EndReason = 'logout' | 'expired' | 'kicked' | 'replaced';

/** An event sent to a user (`UserRouter.toUser`), handled by the node holding the user. */
export interface UserEvent {
  t: string;
}

export interface SessionService {
  /** Request types (`t`) this service answers. */
  readonly ops: readonly string[];
  /** Answers one validated request of `ops` with exactly one reply. */
  handle(session: Session, frame: Request, now: number): Promise<void>;
  /** User event types (`t`) this service handles. */
  readonly userEvents?: readonly string[];
  /**
   * A user event for (app, uid). `holder` is the live local session of that user, or
   * undefined when this node no longer has one (the user is going offline).
   */
  onUserEvent?(app: string, uid: string, holder: Session | undefined, event: UserEvent): void;
  /** A fresh session started (after the login reply and stored messages). */
  started?(session: Session): Promise<void>;
  /** A dropped session resumed on a new socket (after the replay). */
  resumed?(session: Session, cursor: Readonly<Record<string, number>>): void;
  /**
   * The node that held (app, uid)'s session died and did not come back within the resume
   * window; this node ends what that session left behind (memberships, attributes).
   */
  endedElsewhere?(app: string, uid: string): Promise<void>;
  /**
   * The shared Store lost this node's registrations (it restarted without persistence, or the
   * node was taken for dead): write what `session` holds there again (memberships).
   */
  reasserted?(session: Session): Promise<void>;
  /**
   * The session moves to another node: answers what this service keeps for it there (JSON),
   * if anything. Called right before `handedOff`.
   */
  handOff?(session: Session): unknown;
  /** The session moved to another node: drop what this node kept for it, change nothing shared. */
  handedOff?(session: Session): Promise<void>;
  /**
   * A session moved here from another node, with what `handOff` answered there; the service
   * may add to the login result its client gets.
   */
  adopted?(session: Session, state: unknown, result: LoginResult): Promise<void>;
  /** A session ended; `replaced` = the same user logged in again elsewhere. */
  ended?(session: Session, why: EndReason): Promise<void>;
}

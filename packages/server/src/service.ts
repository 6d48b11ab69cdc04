/**
 * The seam for services (peers, presence, channels, attributes, metadata, invitations,
 * telephony, account): which requests a service answers — each with the codes its failures
 * answer —, which user events it handles, and the session lifecycle moments it hears about.
 * Services are logic over the Backend; they answer through the Hub and never touch a socket.
 */
import type { ClientFrame, LoginReq, LoginResult, PingFrame } from '@parley/protocol';
import type { Session } from './session.js';

/**
 * Why a session ended: `logout`; `expired` (its resume window passed); `kicked` (by the server:
 * a ban or an expired token — `kick` says which); `replaced` (the same user logged in again).
 */
export type EndReason = 'logout' | 'expired' | 'kicked' | 'replaced';

/** An event sent to a user (`UserRouter.toUser`), handled by the node holding the user. */
export interface UserEvent {
  t: string;
}

/** A frame of a logged-in session that a service answers (every one but login and ping). */
export type ServiceFrame = Exclude<ClientFrame, LoginReq | PingFrame>;

/** The codes a request's failures answer, in the called API's error table. */
export interface OpCodes {
  /** The shared store (Redis) could not be reached: try again. */
  unavailable: number;
  /** Anything else that went wrong on the server. */
  failure: number;
}

/** The requests (`t`) a service answers, each with its failure codes. */
export type OpTable = Readonly<Record<string, OpCodes>>;

/** Declares an op's failure codes: `op(JoinChannelError.TIMEOUT, JoinChannelError.FAILURE)`. */
export function op(unavailable: number, failure: number): OpCodes {
  return { unavailable, failure };
}

export interface SessionService {
  /** The service's name (it keys what the service hands over with a session that moves). */
  readonly name: string;
  /** Requests (`t`) this service answers, each with the codes its failures answer. */
  readonly ops: OpTable;
  /**
   * Answers one validated request of `ops` with exactly one reply (through the Hub). A request
   * that throws (or whose promise rejects) is answered with the op's `failure` (or
   * `unavailable`) code. A request done synchronously may answer undefined: no promise, no
   * closure per frame (peer messages and acks on one node).
   */
  handle(session: Session, frame: ServiceFrame, now: number): Promise<void> | undefined;
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
   * Another node stopped listening (its liveness lapsed, or a publish to it reached nobody):
   * what this node sent there and still waits on goes to where its users will land.
   */
  nodeSilent?(node: string): Promise<void>;
  /**
   * A fresh session here replaced `previous`, whose node did not hear the kick (it died): what
   * the user had there follows the user to `session`. Runs before the login reply, which the
   * service may add to.
   */
  replacedDead?(
    session: Session,
    previous: { sid: string; node: string },
    result: LoginResult,
  ): Promise<void>;
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

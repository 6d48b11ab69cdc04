/**
 * InvitationStore: call-invitation state shared by every node (see services/invitations.ts).
 * Implementations live beside the other backend files and pass
 * `test/invitation-store-conformance.ts`.
 *
 * An invitation lives here from `send` until it ends; an ended invitation is removed, so the
 * store holds only live ones. Each change is one atomic compare-and-set on the phase, so nodes
 * (and concurrent requests) racing on one invitation settle it exactly once.
 */

/**
 * Where a live invitation stands; each phase has a deadline.
 * - `offline`: the callee was offline at send; it is delivered at the callee's next login
 *   (deadline: PEER_OFFLINE for the caller).
 * - `ringing`: pushed to the callee, whose SDK has not acknowledged it (PEER_NO_RESPONSE).
 * - `received`: the callee's SDK has it; nobody acted yet (INVITATION_EXPIRE on both sides).
 * - `accepting`: the callee accepted; the caller has not taken it (ACCEPT_FAILURE for the callee).
 */
export type InvitationPhase = 'offline' | 'ringing' | 'received' | 'accepting';

export const ALL_PHASES: readonly InvitationPhase[] = [
  'offline',
  'ringing',
  'received',
  'accepting',
];

export interface StoredInvitation {
  app: string;
  /** Chosen by the caller's SDK; (app, caller, id) names the invitation. */
  id: string;
  caller: string;
  callee: string;
  /** The caller's session: the caller's pushes go there only. */
  callerSid: string;
  /** The callee's session that has the invitation; '' until it is known. */
  calleeSid: string;
  channelId: string;
  content: string;
  response: string;
  phase: InvitationPhase;
  /** When the phase's timer fires, ms since the epoch. */
  deadline: number;
}

/** The condition of a compare-and-set. */
export interface InvitationCondition {
  /** The phases the invitation may be in. */
  phases: readonly InvitationPhase[];
  /** It must be addressed to this callee. */
  callee?: string;
  /** Its deadline must have passed by then (ms since the epoch). */
  dueBy?: number;
}

export type InvitationPatch = Partial<
  Pick<StoredInvitation, 'phase' | 'deadline' | 'callerSid' | 'calleeSid' | 'response'>
>;

export interface InvitationStore {
  /** Adds an invitation; answers false, changing nothing, if (app, caller, id) exists. */
  create(inv: StoredInvitation): Promise<boolean>;
  /** A copy of the live invitation, if any. */
  get(app: string, caller: string, id: string): Promise<StoredInvitation | undefined>;
  /** Applies `patch` if the invitation meets `when`; answers the invitation after, or undefined. */
  update(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
    patch: InvitationPatch,
  ): Promise<StoredInvitation | undefined>;
  /** Removes the invitation if it meets `when`; answers what was removed, or undefined. */
  remove(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
  ): Promise<StoredInvitation | undefined>;
  /** Up to `limit` invitations whose deadline is <= `now`, earliest first. */
  due(now: number, limit: number): Promise<StoredInvitation[]>;
  /** The earliest deadline of any live invitation; undefined when none lives. */
  nextDeadline(): Promise<number | undefined>;
  /** The live invitations (app, uid) sends or receives, oldest first. */
  ofUser(app: string, uid: string): Promise<StoredInvitation[]>;
  /** How many invitations live (for tests and metrics). */
  count(): Promise<number>;
}

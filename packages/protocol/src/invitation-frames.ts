/** Frames of call invitations. */

/** Invitation requests (client → server). */
export type InvitationRequest = never;
/** Invitation pushes that must survive a reconnect (carry the session sequence `s`). */
export type InvitationReliablePush = never;

/**
 * InvitationStore: call-invitation state shared by every node (see services/invitations.ts).
 * Implementations live beside the other backend files and pass
 * `test/invitation-store-conformance.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InvitationStore {}

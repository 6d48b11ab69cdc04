import type { InvitationStore } from '../invitation-store.js';

/** Invitation state in memory, for the one-node embedded default. */
export class MemoryInvitationStore implements InvitationStore {}

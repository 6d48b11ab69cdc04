/**
 * Conformance suite of InvitationStore implementations; every backend runs it unchanged.
 */
import type { InvitationStore } from '../src/backend/invitation-store.js';

export type InvitationStoreFactory = () => Promise<InvitationStore> | InvitationStore;

export function runInvitationStoreConformance(
  _name: string,
  _factory: InvitationStoreFactory,
): void {}

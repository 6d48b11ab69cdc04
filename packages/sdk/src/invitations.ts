/** Call invitations of one client: creates LocalInvitations, receives RemoteInvitations. */
import type { ReliablePush } from '@parley/protocol';
import type { Connection } from './connection.js';
import { createRtmError } from './errors.js';
import type { ClientFeature } from './feature.js';
import type { LocalInvitation, RemoteInvitation } from './invitation.js';

export class Invitations implements ClientFeature {
  readonly pushes: readonly string[] = [];

  constructor(
    protected readonly connection: Connection,
    protected readonly received: (invitation: RemoteInvitation) => void,
  ) {}

  onPush(_frame: ReliablePush): void {}

  create(_calleeId: string): LocalInvitation {
    throw createRtmError(
      'invitation',
      1,
      'createLocalInvitation: call invitations are not available yet',
    );
  }
}

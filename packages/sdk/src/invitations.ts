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

  /**
   * A text peer message starting with END_CALL_PREFIX (`<prefix>_<channelId>_<extra>`): the
   * legacy Signaling end-call. Answers true if it was taken as an invitation event (the app
   * then does not see it as a peer message).
   */
  onEndCallMessage(_from: string, _text: string): boolean {
    return false;
  }

  create(_calleeId: string): LocalInvitation {
    throw createRtmError(
      'invitation',
      1,
      'createLocalInvitation: call invitations are not available yet',
    );
  }
}

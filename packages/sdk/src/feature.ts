/**
 * The seam between RtmClient and a feature (channels, invitations): which reliable pushes it
 * takes, and the moments of the client's life it must hear about.
 */
import type { ReliablePush } from '@parley/protocol';
import type { Reason, State } from './connection.js';

export interface ClientFeature {
  /** Reliable push types (`t`) this feature handles. */
  readonly pushes: readonly string[];
  onPush(frame: ReliablePush): void;
  /** Every ConnectionStateChanged, after the app's listeners ran. */
  stateChanged?(state: State, reason: Reason): void;
  /** The server no longer had the session (restart, window passed): restore what the app set up. */
  sessionRenewed?(): void;
}

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
  /** Pushes without session sequence (`t`) this feature handles, e.g. channel events. */
  readonly events?: readonly string[];
  onEvent?(frame: { t: string } & Record<string, unknown>): void;
  /** Sent with a resume: the last channel sequence seen per channel. */
  resumeCursor?(): Record<string, number>;
  /** The session resumed on another node, which numbers channel events from `cs` on. */
  channelSequences?(cs: Record<string, number>): void;
  /** Every ConnectionStateChanged, after the app's listeners ran. */
  stateChanged?(state: State, reason: Reason): void;
  /** The server no longer had the session (restart, window passed): restore what the app set up. */
  sessionRenewed?(): void;
}

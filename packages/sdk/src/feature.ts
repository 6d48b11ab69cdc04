/**
 * The seam between RtmClient and each of its features (login, peers, presence, attributes,
 * metadata, channels, invitations, the Parley extensions). RtmClient is a facade: each of its
 * methods delegates to one feature.
 *
 * A feature is made with the client's FeatureHost, and reaches the server only through
 * `host.connection.request`. It names the push types it takes (each type has one taker; the
 * registry routes by `t` and the connection has already dropped replayed reliable pushes), and
 * implements the lifecycle hooks it needs: what it sends with a resume, what it restores when
 * the server lost the session, what it forgets when the session ends.
 *
 * @example
 * ```ts
 * class Presence implements ClientFeature<'pst'> {
 *   readonly pushes = ['pst'] as const;
 *   constructor(private readonly host: FeatureHost) {}
 *   onPush(f: PresencePush) {
 *     this.host.emit('PeersOnlineStatusChanged', f.st);
 *   }
 *   sessionRenewed() {
 *     // subscribe again to what the app had subscribed to
 *   }
 * }
 * ```
 */
import type { Clock, LoginResult } from '@parley/protocol';
import type { ClientEmit } from './client-events.js';
import type { Connection, FeaturePush, Reason, State } from './connection.js';

/** What the client lends each of its features. */
export interface FeatureHost {
  readonly connection: Connection;
  /** The client's clock (RtmConfig.clock): every time and timer of a feature comes from it. */
  readonly clock: Clock;
  /** Emits an RtmClient event to the app. */
  readonly emit: ClientEmit;
}

export type PushType = FeaturePush['t'];

export interface ClientFeature<P extends PushType = PushType> {
  /** Push types (`t`) this feature takes (`[]`: none); no other feature takes them. */
  readonly pushes: readonly P[];
  /** One push of a type in `pushes` (a reliable one once, in session order). */
  onPush?(frame: Extract<FeaturePush, { t: P }>): void;
  /** Sent with a resume: the last channel sequence seen per channel. */
  resumeCursor?(): Record<string, number>;
  /** The session resumed on another node, which numbers channel events from `cs` on. */
  channelSequences?(cs: Record<string, number>): void;
  /**
   * Every ConnectionStateChanged, after the app's listeners ran. CONNECTING comes only from a
   * fresh `login()`; DISCONNECTED and ABORTED end the session.
   */
  stateChanged?(state: State, reason: Reason): void;
  /**
   * The server no longer had the session (restart, window passed, its node died): restore what
   * the app set up. `result` is the new session's login result.
   */
  sessionRenewed?(result: LoginResult): void;
}

/**
 * FeatureRegistry: the features of one RtmClient (see feature.ts), in the order they were
 * added. It routes each push to the one feature that takes its type, and tells every feature
 * of the session's moments in that order.
 */
import type { LoginResult } from '@parley/protocol';
import type { FeaturePush, Reason, State } from './connection.js';
import type { ClientFeature, PushType } from './feature.js';

export class FeatureRegistry {
  private readonly features: ClientFeature[] = [];
  private readonly byPush = new Map<PushType, ClientFeature>();

  /** Adds a feature; answers it. Two takers of one push type are a programming error. */
  add<F extends ClientFeature>(feature: F): F {
    for (const t of feature.pushes) {
      if (this.byPush.has(t)) throw new Error(`FeatureRegistry: two features take "${t}" pushes`);
      this.byPush.set(t, feature);
    }
    this.features.push(feature);
    return feature;
  }

  /** The feature that is an instance of `type`, if one was added. */
  get<F extends ClientFeature>(type: abstract new (...args: never[]) => F): F | undefined {
    return this.features.find((f): f is F => f instanceof type);
  }

  push(frame: FeaturePush): void {
    this.byPush.get(frame.t)?.onPush?.(frame);
  }

  stateChanged(state: State, reason: Reason): void {
    for (const f of this.features) f.stateChanged?.(state, reason);
  }

  sessionRenewed(result: LoginResult): void {
    for (const f of this.features) f.sessionRenewed?.(result);
  }

  resumeCursor(): Record<string, number> {
    // Entries, not Object.assign: a channel named `__proto__` stays an own key.
    return Object.fromEntries(
      this.features.flatMap((f) => Object.entries(f.resumeCursor?.() ?? {})),
    );
  }

  channelSequences(cs: Record<string, number>): void {
    for (const f of this.features) f.channelSequences?.(cs);
  }
}

/**
 * Sweep: the timers of every session on this node, checked by one interval (nothing is
 * scheduled per session or per message): a resume window that passed, silence that makes a
 * user UNREACHABLE, a token about to expire or expired.
 */
import type { Clock, TimerHandle } from '@parley/protocol';
import type { ServerConfig } from './config.js';
import type { Hub } from './hub.js';
import type { Peers } from './services/peers.js';
import type { Sessions } from './sessions.js';

export class Sweep {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly sessions: Sessions,
    private readonly peers: Peers,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.timer = this.clock.setInterval(
      () => this.run(this.clock.now()),
      this.config.sweepIntervalMs,
    );
    this.timer.unref?.();
  }

  stop(): void {
    this.clock.clear(this.timer);
  }

  run(now: number): void {
    const { config, hub, sessions } = this;
    for (const s of hub.all()) {
      const idle = s.silentMs(now);
      if (idle > config.resumeWindowMs) {
        hub.drop(s);
        void sessions.end(s, 'expired').catch((e) => sessions.fail(e));
        continue;
      }
      if (idle > config.unreachableAfterMs && s.presence === 'ONLINE')
        sessions.setPresence(s, 'UNREACHABLE');
      if (s.tokenExpMs > 0) {
        if (now >= s.tokenExpMs) {
          if (s.attached) sessions.kickLocal(s, 'TOKEN_EXPIRED');
        } else if (
          !s.willExpireSent &&
          now >= s.tokenExpMs - config.tokenWillExpireLeadMs &&
          s.attached
        ) {
          s.willExpireSent = true;
          hub.tell(s, { t: 'exp', exp: s.tokenExpMs });
        }
      }
    }
    this.peers.sweep(now, config.resumeWindowMs);
  }
}

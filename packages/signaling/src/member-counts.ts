/**
 * Member counts for `channelQueryUserNum` and `invoke('…channel_query_num')`. Signaling had no
 * rate limit on them; RTM allows one `getChannelMemberCount` call a second (up to 32 channels).
 * Queries are batched so apps never see that limit: at most one call per second, each asking
 * for every channel queried meanwhile.
 */
import type { RtmClient } from '@parley/sdk';
import type { Clock, TimerHandle } from '@parley/protocol';
import { unref } from './callbacks.js';

/** RTM's limits on getChannelMemberCount: one call per second (plus a margin for network jitter), 32 channels per call. */
const minIntervalMs = 1100;
const maxChannelsPerCall = 32;

interface Waiter {
  resolve: (n: number) => void;
  reject: (e: unknown) => void;
}

export class MemberCounts {
  private readonly waiting = new Map<string, Waiter[]>();
  private lastCallMs = -Infinity;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly client: RtmClient,
    private readonly clock: Clock,
  ) {}

  count(channelId: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const list = this.waiting.get(channelId);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(channelId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiting.size === 0) return;
    const delay = Math.max(0, this.lastCallMs + minIntervalMs - this.clock.now());
    this.timer = unref(
      this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, delay),
    );
  }

  private flush(): void {
    const ids = [...this.waiting.keys()].slice(0, maxChannelsPerCall);
    const batch = ids.map((id) => [id, this.waiting.get(id)!] as const);
    for (const id of ids) this.waiting.delete(id);
    this.lastCallMs = this.clock.now();
    this.client.getChannelMemberCount(ids).then(
      (counts) => {
        for (const [id, ws] of batch) for (const w of ws) w.resolve(counts[id] ?? 0);
      },
      (e: unknown) => {
        for (const [, ws] of batch) for (const w of ws) w.reject(e);
      },
    );
    this.schedule();
  }

  /** Fails every waiting query (the session ended). */
  close(reason: unknown): void {
    this.clock.clear(this.timer);
    this.timer = undefined;
    for (const ws of this.waiting.values()) for (const w of ws) w.reject(reason);
    this.waiting.clear();
  }
}

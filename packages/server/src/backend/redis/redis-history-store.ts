/**
 * HistoryStore on Redis: one sorted set per app (`history:<app>`, JSON messages scored by
 * receive time), capped at `maxPerApp` and trimmed by age on each append, in one transaction
 * on that one key. A query reads the app's messages of its time range in chunks and filters
 * them here: the cost is the range, not the match, which the per-app cap bounds.
 */
import type { Redis } from 'ioredis';
import type {
  HistoryFilter,
  HistoryLimits,
  HistoryMessage,
  HistoryPage,
  HistoryStore,
} from '../history-store.js';
import { replies } from './replies.js';

const CHUNK = 1000;

export class RedisHistoryStore implements HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: HistoryLimits,
  ) {}

  private key(app: string): string {
    return `${this.prefix}history:${app}`;
  }

  async append(app: string, msg: HistoryMessage): Promise<void> {
    const key = this.key(app);
    replies(
      await this.redis
        .multi()
        .zadd(key, msg.ts, JSON.stringify(msg))
        .zremrangebyscore(key, '-inf', `(${msg.ts - this.limits.maxAgeMs}`)
        .zremrangebyrank(key, 0, -(this.limits.maxPerApp + 1))
        .pexpire(key, this.limits.maxAgeMs)
        .exec(),
    );
  }

  async query(app: string, filter: HistoryFilter, page: HistoryPage): Promise<HistoryMessage[]> {
    const out: HistoryMessage[] = [];
    let skip = page.offset;
    await this.scan(app, filter, page.order, (m) => {
      if (skip > 0) skip--;
      else out.push(m);
      return out.length < page.limit;
    });
    return out;
  }

  async count(app: string, filter: HistoryFilter): Promise<number> {
    let n = 0;
    await this.scan(app, filter, 'asc', () => {
      n++;
      return true;
    });
    return n;
  }

  /** Calls `each` with every match in order until it answers false. */
  private async scan(
    app: string,
    f: HistoryFilter,
    order: 'asc' | 'desc',
    each: (m: HistoryMessage) => boolean,
  ): Promise<void> {
    const key = this.key(app);
    for (let at = 0; ; at += CHUNK) {
      const raw =
        order === 'asc'
          ? await this.redis.zrange(key, f.startMs, f.endMs, 'BYSCORE', 'LIMIT', at, CHUNK)
          : await this.redis.zrange(key, f.endMs, f.startMs, 'BYSCORE', 'REV', 'LIMIT', at, CHUNK);
      for (const r of raw) {
        const m = JSON.parse(r) as HistoryMessage;
        if (f.source !== undefined && m.src !== f.source) continue;
        if (f.destination !== undefined && m.dst !== f.destination) continue;
        if (!each(m)) return;
      }
      if (raw.length < CHUNK) return;
    }
  }
}

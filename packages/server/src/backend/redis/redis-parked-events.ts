/** ParkedEvents in Redis: one list per user, taken with LRANGE + DEL in one transaction. */
import type { Redis } from 'ioredis';
import type { ParkedEvents } from '../parked-events.js';
import { replies } from './replies.js';

export class RedisParkedEvents implements ParkedEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(app: string, uid: string): string {
    return `${this.prefix}parked:${app.length}:${app}:${uid}`;
  }

  async park(app: string, uid: string, event: unknown, ttlMs: number): Promise<void> {
    const key = this.key(app, uid);
    replies(
      await this.redis
        .multi()
        .rpush(key, JSON.stringify(event))
        .pexpire(key, Math.max(1, ttlMs))
        .exec(),
    );
  }

  async take(app: string, uid: string): Promise<unknown[]> {
    const key = this.key(app, uid);
    const [raw] = replies(await this.redis.multi().lrange(key, 0, -1).del(key).exec());
    return (raw as string[]).map((r) => JSON.parse(r) as unknown);
  }
}

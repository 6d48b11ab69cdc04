/**
 * EventLog on Redis: a capped list per app and kind (`events:<kind>:<app>`, JSON, oldest
 * first). An append is RPUSH + LTRIM in one transaction; a take is one `LPOP key count`, which
 * Redis runs atomically, so two nodes never take the same event.
 */
import type { Redis } from 'ioredis';
import type { EventLog, EventLogKind, LoggedEvent } from '../event-log.js';
import { replies } from './replies.js';

export class RedisEventLog implements EventLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxPerApp: number,
  ) {}

  private key(app: string, kind: EventLogKind): string {
    return `${this.prefix}events:${kind}:${app}`;
  }

  async append(app: string, kind: EventLogKind, event: LoggedEvent): Promise<void> {
    const key = this.key(app, kind);
    replies(
      await this.redis
        .multi()
        .rpush(key, JSON.stringify(event))
        .ltrim(key, -this.maxPerApp, -1)
        .exec(),
    );
  }

  async take(app: string, kind: EventLogKind, max: number): Promise<LoggedEvent[]> {
    const raw = await this.redis.lpop(this.key(app, kind), max);
    return (raw ?? []).map((r) => JSON.parse(r) as LoggedEvent);
  }
}

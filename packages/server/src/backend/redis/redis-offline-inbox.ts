/**
 * OfflineInbox on Redis: a capped list per receiver (`offline:<app>:<receiver>`, JSON
 * messages, oldest first) that expires `maxAgeMs` after its last put. Each change is one
 * transaction or one Lua script on that one key.
 */
import type { Redis } from 'ioredis';
import type { OfflineInbox, OfflineLimits, StoredMessage } from '../offline-inbox.js';
import { replies } from './replies.js';

// KEYS[1] offline list; ARGV = mids to drop.
const DELETE_OFFLINE = `local drop = {}
for i = 1, #ARGV do drop[ARGV[i]] = true end
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, raw in ipairs(items) do
  local ok, m = pcall(cjson.decode, raw)
  if ok and drop[m.mid] then redis.call('LREM', KEYS[1], 1, raw) end
end
return 1`;

export class RedisOfflineInbox implements OfflineInbox {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: OfflineLimits,
  ) {}

  private inbox(app: string, to: string): string {
    return `${this.prefix}offline:${app}:${to}`;
  }

  async putOffline(app: string, to: string, msg: StoredMessage): Promise<void> {
    const key = this.inbox(app, to);
    replies(
      await this.redis
        .multi()
        .rpush(key, JSON.stringify(msg))
        .ltrim(key, -this.limits.maxPerReceiver, -1)
        .pexpire(key, this.limits.maxAgeMs)
        .exec(),
    );
  }

  async listOffline(app: string, to: string): Promise<StoredMessage[]> {
    const raw = await this.redis.lrange(this.inbox(app, to), 0, -1);
    const oldest = Date.now() - this.limits.maxAgeMs;
    return raw.map((r) => JSON.parse(r) as StoredMessage).filter((m) => m.ts >= oldest);
  }

  async deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void> {
    if (mids.length === 0) return;
    await this.redis.eval(DELETE_OFFLINE, 1, this.inbox(app, to), ...mids);
  }
}

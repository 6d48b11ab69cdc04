/**
 * WebhookQueue on Redis: per owner a list per app (`{webhooks}:q:<owner>:<app>`, JSON notices,
 * oldest first), the set of its apps with notices (`{webhooks}:apps:<owner>`) and its size
 * (`{webhooks}:n:<owner>`). Every webhook key shares the hash tag `{webhooks}`, so the scripts
 * that move notices between two owners keep to one Redis Cluster slot; each names its keys.
 */
import type { Redis, Result } from 'ioredis';
import type { QueuedNotice, WebhookQueue } from '../webhook-queue.js';

// KEYS: size, list, apps; ARGV: max, notice, app. Answers 1 if queued, 0 if full.
const PUSH = `if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('INCR', KEYS[1])
return 1`;

// KEYS: list, size, apps; ARGV: id, app. Pops the head if it is `id`.
const REMOVE = `local head = redis.call('LINDEX', KEYS[1], 0)
if not head or cjson.decode(head).id ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('DECR', KEYS[2])
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
return 1`;

// KEYS: list; ARGV: id, notice. Replaces the head if it is `id`.
const POSTPONE = `local head = redis.call('LINDEX', KEYS[1], 0)
if not head or cjson.decode(head).id ~= ARGV[1] then return 0 end
redis.call('LSET', KEYS[1], 0, ARGV[2])
return 1`;

// KEYS: from list, to list, from apps, to apps, from size, to size; ARGV: app.
const ADOPT = `local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do moved = moved + 1 end
redis.call('SREM', KEYS[3], ARGV[1])
if moved > 0 then
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('INCRBY', KEYS[6], moved)
  redis.call('DECRBY', KEYS[5], moved)
end
return moved`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyWebhookPush(
      size: string,
      list: string,
      apps: string,
      max: number,
      notice: string,
      app: string,
    ): Result<number, Context>;
    parleyWebhookRemove(
      list: string,
      size: string,
      apps: string,
      id: string,
      app: string,
    ): Result<number, Context>;
    parleyWebhookPostpone(list: string, id: string, notice: string): Result<number, Context>;
    parleyWebhookAdopt(...keysAndApp: string[]): Result<number, Context>;
  }
}

export class RedisWebhookQueue implements WebhookQueue {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
  ) {
    redis.defineCommand('parleyWebhookPush', { numberOfKeys: 3, lua: PUSH });
    redis.defineCommand('parleyWebhookRemove', { numberOfKeys: 3, lua: REMOVE });
    redis.defineCommand('parleyWebhookPostpone', { numberOfKeys: 1, lua: POSTPONE });
    redis.defineCommand('parleyWebhookAdopt', { numberOfKeys: 6, lua: ADOPT });
  }

  private key(what: 'n' | 'apps', owner: string): string {
    return `${this.prefix}{webhooks}:${what}:${owner}`;
  }

  private list(owner: string, app: string): string {
    return `${this.prefix}{webhooks}:q:${owner}:${app}`;
  }

  async push(owner: string, n: QueuedNotice): Promise<boolean> {
    const queued = await this.redis.parleyWebhookPush(
      this.key('n', owner),
      this.list(owner, n.app),
      this.key('apps', owner),
      this.max,
      JSON.stringify(n),
      n.app,
    );
    return queued === 1;
  }

  async heads(owner: string): Promise<QueuedNotice[]> {
    const apps = await this.redis.smembers(this.key('apps', owner));
    const heads = await Promise.all(apps.map((app) => this.head(owner, app)));
    return heads.filter((h): h is QueuedNotice => h !== undefined);
  }

  async head(owner: string, app: string): Promise<QueuedNotice | undefined> {
    const raw = await this.redis.lindex(this.list(owner, app), 0);
    return raw === null ? undefined : (JSON.parse(raw) as QueuedNotice);
  }

  async remove(owner: string, app: string, id: string): Promise<void> {
    await this.redis.parleyWebhookRemove(
      this.list(owner, app),
      this.key('n', owner),
      this.key('apps', owner),
      id,
      app,
    );
  }

  async postpone(owner: string, app: string, id: string, attempts: number, at: number) {
    const head = await this.head(owner, app);
    if (head?.id !== id) return;
    const next: QueuedNotice = { ...head, attempts, notBeforeMs: at };
    await this.redis.parleyWebhookPostpone(this.list(owner, app), id, JSON.stringify(next));
  }

  async size(owner: string): Promise<number> {
    return Number((await this.redis.get(this.key('n', owner))) ?? 0);
  }

  async adopt(from: string, to: string): Promise<number> {
    if (from === to) return 0;
    let moved = 0;
    for (const app of await this.redis.smembers(this.key('apps', from)))
      moved += await this.redis.parleyWebhookAdopt(
        this.list(from, app),
        this.list(to, app),
        this.key('apps', from),
        this.key('apps', to),
        this.key('n', from),
        this.key('n', to),
        app,
      );
    return moved;
  }
}

/** BanList on Redis: a key per banned user (`ban:<app>:<uid>`) that expires when the ban ends. */
import type { Redis } from 'ioredis';
import type { BanList } from '../ban-list.js';

export class RedisBanList implements BanList {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private ban(app: string, uid: string): string {
    return `${this.prefix}ban:${app}:${uid}`;
  }

  async setBan(app: string, uid: string, untilMs: number): Promise<void> {
    const key = this.ban(app, uid);
    if (untilMs <= 0) await this.redis.del(key);
    else await this.redis.set(key, String(untilMs), 'PXAT', untilMs);
  }

  async getBan(app: string, uid: string, nowMs: number): Promise<number> {
    const v = await this.redis.get(this.ban(app, uid));
    const until = v ? Number(v) : 0;
    return until > nowMs ? until : 0;
  }
}

import type { BanList } from '../ban-list.js';

/** Bans in memory; an ended ban is dropped when read. */
export class MemoryBanList implements BanList {
  /** `app \0 uid` → when the ban ends. */
  private readonly bans = new Map<string, number>();

  setBan(app: string, uid: string, untilMs: number): Promise<void> {
    if (untilMs > 0) this.bans.set(app + '\u0000' + uid, untilMs);
    else this.bans.delete(app + '\u0000' + uid);
    return Promise.resolve();
  }

  getBan(app: string, uid: string, nowMs: number): Promise<number> {
    const key = app + '\u0000' + uid;
    const until = this.bans.get(key) ?? 0;
    if (until !== 0 && until <= nowMs) {
      this.bans.delete(key);
      return Promise.resolve(0);
    }
    return Promise.resolve(until);
  }
}

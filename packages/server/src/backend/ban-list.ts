/**
 * BanList: users banned from logging in, each until a time. Shared by every node, so a ban set
 * through any node holds at every login; implementations live beside the other backend files
 * and pass `test/ban-list-conformance.ts`.
 *
 * What expires: a ban ends by itself at its time (nobody lifts it). The caller says what time it
 * is when it asks, so a ban is over for every node at the same moment of its clock; the stored
 * entry goes away on its own some time after (Redis: a key expiring at that time; memory: when
 * read after it).
 */
export interface BanList {
  /** Bans (app, uid) from logging in until `untilMs` (ms since the epoch); 0 lifts the ban. */
  setBan(app: string, uid: string, untilMs: number): Promise<void>;
  /** When (app, uid)'s ban ends, ms since the epoch; 0 when not banned at `nowMs`. */
  getBan(app: string, uid: string, nowMs: number): Promise<number>;
}

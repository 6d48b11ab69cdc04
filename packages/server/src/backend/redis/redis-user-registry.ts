/**
 * UserRegistry on Redis: a hash per user (`user:<app>:<uid>`: sid, node, state). Every change
 * is one Lua script on that one key, so it is atomic across nodes and keeps to one Redis
 * Cluster slot.
 */
import type { PeerState } from '@parley/protocol';
import type { Redis } from 'ioredis';
import type { UserHolder, UserRegistry } from '../user-registry.js';
import { replies } from './replies.js';

// KEYS[1] user hash; ARGV[1] new session id, ARGV[2] its node. Answers the replaced {sid, node}, or false.
const CLAIM = `local old = redis.call('HMGET', KEYS[1], 'sid', 'node')
redis.call('HSET', KEYS[1], 'sid', ARGV[1], 'node', ARGV[2], 'state', 'ONLINE')
if not old[1] or old[1] == ARGV[1] then return false end
return old`;
// KEYS[1] user hash; ARGV[1] session id, ARGV[2] its node, ARGV[3] its new node. Only if that
// session, on that node, holds the user.
const MOVE = `local h = redis.call('HMGET', KEYS[1], 'sid', 'node')
if h[1] == ARGV[1] and h[2] == ARGV[2] then redis.call('HSET', KEYS[1], 'node', ARGV[3]) return 1 end
return 0`;
// KEYS[1] user hash; ARGV[1] session id, ARGV[2] its node. Deletes only if that session, on
// that node, still holds the user.
const RELEASE = `local h = redis.call('HMGET', KEYS[1], 'sid', 'node')
if h[1] == ARGV[1] and h[2] == ARGV[2] then redis.call('DEL', KEYS[1]) return 1 end
return 0`;
// KEYS[1] user hash; ARGV[1] state. Only for a held user.
const SET_STATE = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'state', ARGV[1]) end
return 1`;

export class RedisUserRegistry implements UserRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private user(app: string, uid: string): string {
    return `${this.prefix}user:${app}:${uid}`;
  }

  async claimUser(app: string, uid: string, holder: UserHolder): Promise<UserHolder | undefined> {
    const old = (await this.redis.eval(CLAIM, 1, this.user(app, uid), holder.sid, holder.node)) as
      [string, string] | null;
    return old ? { sid: old[0], node: old[1] } : undefined;
  }

  async locateUser(app: string, uid: string): Promise<UserHolder | undefined> {
    const [sid, node] = await this.redis.hmget(this.user(app, uid), 'sid', 'node');
    return sid && node ? { sid, node } : undefined;
  }

  async moveUser(app: string, uid: string, holder: UserHolder, to: string): Promise<boolean> {
    const key = this.user(app, uid);
    return (await this.redis.eval(MOVE, 1, key, holder.sid, holder.node, to)) === 1;
  }

  async releaseUser(app: string, uid: string, holder: UserHolder): Promise<boolean> {
    const key = this.user(app, uid);
    return (await this.redis.eval(RELEASE, 1, key, holder.sid, holder.node)) === 1;
  }

  async setPresence(app: string, uid: string, state: Exclude<PeerState, 'OFFLINE'>): Promise<void> {
    await this.redis.eval(SET_STATE, 1, this.user(app, uid), state);
  }

  // A pipeline, not a transaction: the users are in different slots.
  async getPresence(app: string, uids: readonly string[]): Promise<PeerState[]> {
    const pipe = this.redis.pipeline();
    for (const u of uids) pipe.hget(this.user(app, u), 'state');
    return replies(await pipe.exec()).map((v) =>
      v === 'ONLINE' || v === 'UNREACHABLE' ? v : 'OFFLINE',
    );
  }
}

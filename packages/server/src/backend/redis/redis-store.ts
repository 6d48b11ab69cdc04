/**
 * Store on Redis: who holds each user (hash per user), bans (keys that expire), offline
 * messages (a capped list per receiver). Offline messages are as durable as the Redis server's
 * persistence settings make them (AOF with `appendfsync always` for fsync-per-write).
 */
import type { PeerState } from '@parley/protocol';
import type { Redis } from 'ioredis';
import type { OfflineLimits, Store, StoredMessage, UserHolder } from '../store.js';
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
// KEYS[1] offline list; ARGV = mids to drop.
const DELETE_OFFLINE = `local drop = {}
for i = 1, #ARGV do drop[ARGV[i]] = true end
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, raw in ipairs(items) do
  local ok, m = pcall(cjson.decode, raw)
  if ok and drop[m.mid] then redis.call('LREM', KEYS[1], 1, raw) end
end
return 1`;

// KEYS: alive key, sessions set (one hash slot: see nodeKey). Only one caller takes a dead
// node's sessions.
// Answers nil (false) while the node is alive.
const TAKE_SESSIONS = `if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local sessions = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[2])
return sessions`;

export class RedisStore implements Store {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: OfflineLimits,
  ) {}

  /** A node's keys share a hash tag, so one script may touch them all in a Redis Cluster. */
  private nodeKey(node: string, what: 'alive' | 'sessions'): string {
    return `${this.prefix}node:{${node}}:${what}`;
  }

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

  async getPresence(app: string, uids: readonly string[]): Promise<PeerState[]> {
    const pipe = this.redis.pipeline();
    for (const u of uids) pipe.hget(this.user(app, u), 'state');
    return replies(await pipe.exec()).map((v) =>
      v === 'ONLINE' || v === 'UNREACHABLE' ? v : 'OFFLINE',
    );
  }

  async setBan(app: string, uid: string, untilMs: number): Promise<void> {
    const key = `${this.prefix}ban:${app}:${uid}`;
    if (untilMs <= 0) await this.redis.del(key);
    else await this.redis.set(key, String(untilMs), 'PXAT', untilMs);
  }

  async getBan(app: string, uid: string, nowMs: number): Promise<number> {
    const v = await this.redis.get(`${this.prefix}ban:${app}:${uid}`);
    const until = v ? Number(v) : 0;
    return until > nowMs ? until : 0;
  }

  async putOffline(app: string, to: string, msg: StoredMessage): Promise<void> {
    const key = `${this.prefix}offline:${app}:${to}`;
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
    const raw = await this.redis.lrange(`${this.prefix}offline:${app}:${to}`, 0, -1);
    const oldest = Date.now() - this.limits.maxAgeMs;
    return raw.map((r) => JSON.parse(r) as StoredMessage).filter((m) => m.ts >= oldest);
  }

  async deleteOffline(app: string, to: string, mids: readonly string[]): Promise<void> {
    if (mids.length === 0) return;
    await this.redis.eval(DELETE_OFFLINE, 1, `${this.prefix}offline:${app}:${to}`, ...mids);
  }

  async registerSession(node: string, app: string, uid: string, sid: string): Promise<void> {
    // Two keys in two hash slots: a pipeline, not a transaction (SADD is idempotent).
    replies(
      await this.redis
        .pipeline()
        .sadd(`${this.prefix}nodes`, node)
        .sadd(this.nodeKey(node, 'sessions'), JSON.stringify([app, uid, sid]))
        .exec(),
    );
  }

  async unregisterSession(node: string, app: string, uid: string, sid: string): Promise<void> {
    await this.redis.srem(this.nodeKey(node, 'sessions'), JSON.stringify([app, uid, sid]));
  }

  async nodeAlive(node: string, ttlMs: number): Promise<boolean> {
    const [, was] = replies(
      await this.redis
        .pipeline()
        .sadd(`${this.prefix}nodes`, node)
        .set(this.nodeKey(node, 'alive'), '1', 'PX', ttlMs, 'GET')
        .exec(),
    );
    return was === '1';
  }

  async lapsedNodes(): Promise<string[]> {
    const nodes = await this.redis.smembers(`${this.prefix}nodes`);
    if (nodes.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const n of nodes) pipe.exists(this.nodeKey(n, 'alive'));
    const alive = replies(await pipe.exec());
    return nodes.filter((_, k) => alive[k] === 0);
  }

  async takeSessions(node: string): Promise<{ app: string; uid: string; sid: string }[]> {
    const raw = (await this.redis.eval(
      TAKE_SESSIONS,
      2,
      this.nodeKey(node, 'alive'),
      this.nodeKey(node, 'sessions'),
    )) as string[] | null;
    if (raw === null) return [];
    // A node that comes back adds itself again with its next heartbeat.
    await this.redis.srem(`${this.prefix}nodes`, node);
    return raw.map((r) => {
      const [app, uid, sid] = JSON.parse(r) as [string, string, string];
      return { app, uid, sid };
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

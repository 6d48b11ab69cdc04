/**
 * InvitationStore on Redis: one JSON value per live invitation, a sorted set of deadlines, and
 * a sorted set per user (by creation time) for `ofUser`. Every change is one Lua script, so the
 * compare-and-set on the phase holds across nodes.
 *
 * Redis Cluster: a script names every key it touches in KEYS, and all of them share the hash
 * tag `{inv}`, so they are in one slot. The one deadline set that every change touches puts
 * each change in that slot anyway, so the tag costs no spread: invitations live on one shard.
 */
import type { Redis, Result } from 'ioredis';
import type {
  InvitationCondition,
  InvitationPatch,
  InvitationStore,
  StoredInvitation,
} from '../invitation-store.js';

// Shared by the scripts: does the decoded invitation `inv` meet the condition `when`?
const MEETS = `local function meets(inv, when)
  local ok = false
  for _, p in ipairs(when.phases) do if inv.phase == p then ok = true end end
  if not ok then return false end
  if when.callee and inv.callee ~= when.callee then return false end
  if when.dueBy and inv.deadline > when.dueBy then return false end
  return true
end
`;
// KEYS: value, due set, caller index, callee index; ARGV: json, member
const CREATE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local inv = cjson.decode(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], inv.deadline, ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[2])
return 1`;
// KEYS: value, due set; ARGV: condition json, patch json, member
const UPDATE = `${MEETS}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local inv = cjson.decode(raw)
if not meets(inv, cjson.decode(ARGV[1])) then return false end
for k, v in pairs(cjson.decode(ARGV[2])) do inv[k] = v end
local out = cjson.encode(inv)
redis.call('SET', KEYS[1], out)
redis.call('ZADD', KEYS[2], inv.deadline, ARGV[3])
return out`;
// KEYS: value, due set, caller index, callee index; ARGV: condition json, member, callee.
// The caller reads the callee (to name its index) before; 0 means the invitation was replaced
// by one for another callee since, and it reads again.
const REMOVE = `${MEETS}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local inv = cjson.decode(raw)
if inv.callee ~= ARGV[3] then return 0 end
if not meets(inv, cjson.decode(ARGV[1])) then return false end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
return raw`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyInvitationCreate(
      value: string,
      due: string,
      callerIndex: string,
      calleeIndex: string,
      json: string,
      member: string,
    ): Result<number, Context>;
    parleyInvitationUpdate(
      value: string,
      due: string,
      condition: string,
      patch: string,
      member: string,
    ): Result<string | null, Context>;
    parleyInvitationRemove(
      value: string,
      due: string,
      callerIndex: string,
      calleeIndex: string,
      condition: string,
      member: string,
      callee: string,
    ): Result<string | null | 0, Context>;
  }
}

/** Reads before a remove, when every one found the invitation replaced (never seen in practice). */
const maxRemoveAttempts = 16;

export class RedisInvitationStore implements InvitationStore {
  /** The start of every key; its `{inv}` is the hash tag that puts them in one slot. */
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.base = `${prefix}{inv}:`;
    redis.defineCommand('parleyInvitationCreate', { numberOfKeys: 4, lua: CREATE });
    redis.defineCommand('parleyInvitationUpdate', { numberOfKeys: 2, lua: UPDATE });
    redis.defineCommand('parleyInvitationRemove', { numberOfKeys: 4, lua: REMOVE });
  }

  private member(app: string, caller: string, id: string): string {
    return JSON.stringify([app, caller, id]);
  }

  private valueKey(member: string): string {
    return `${this.base}v:${member}`;
  }

  private get dueKey(): string {
    return `${this.base}due`;
  }

  private userKey(app: string, uid: string): string {
    return `${this.base}user:${app}:${uid}`;
  }

  async create(inv: StoredInvitation): Promise<boolean> {
    const m = this.member(inv.app, inv.caller, inv.id);
    const r = await this.redis.parleyInvitationCreate(
      this.valueKey(m),
      this.dueKey,
      this.userKey(inv.app, inv.caller),
      this.userKey(inv.app, inv.callee),
      JSON.stringify(inv),
      m,
    );
    return r === 1;
  }

  async get(app: string, caller: string, id: string): Promise<StoredInvitation | undefined> {
    const raw = await this.redis.get(this.valueKey(this.member(app, caller, id)));
    return raw ? (JSON.parse(raw) as StoredInvitation) : undefined;
  }

  async update(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
    patch: InvitationPatch,
  ): Promise<StoredInvitation | undefined> {
    const m = this.member(app, caller, id);
    const r = await this.redis.parleyInvitationUpdate(
      this.valueKey(m),
      this.dueKey,
      condition(when),
      JSON.stringify(patch),
      m,
    );
    return r ? (JSON.parse(r) as StoredInvitation) : undefined;
  }

  async remove(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
  ): Promise<StoredInvitation | undefined> {
    const m = this.member(app, caller, id);
    const key = this.valueKey(m);
    for (let n = 0; n < maxRemoveAttempts; n++) {
      const before = await this.redis.get(key);
      if (!before) return undefined;
      const { callee } = JSON.parse(before) as StoredInvitation;
      const r = await this.redis.parleyInvitationRemove(
        key,
        this.dueKey,
        this.userKey(app, caller),
        this.userKey(app, callee),
        condition(when),
        m,
        callee,
      );
      if (r !== 0) return r ? (JSON.parse(r) as StoredInvitation) : undefined;
    }
    throw new Error(`invitation ${m}: replaced ${maxRemoveAttempts} times while being removed`);
  }

  async due(now: number, limit: number): Promise<StoredInvitation[]> {
    const members = await this.redis.zrangebyscore(this.dueKey, '-inf', now, 'LIMIT', 0, limit);
    return this.values(members);
  }

  async nextDeadline(): Promise<number | undefined> {
    const first = await this.redis.zrange(this.dueKey, 0, 0, 'WITHSCORES');
    return first.length === 2 ? Number(first[1]) : undefined;
  }

  async ofUser(app: string, uid: string): Promise<StoredInvitation[]> {
    return this.values(await this.redis.zrange(this.userKey(app, uid), 0, -1));
  }

  count(): Promise<number> {
    return this.redis.zcard(this.dueKey);
  }

  private async values(members: string[]): Promise<StoredInvitation[]> {
    if (members.length === 0) return [];
    const raws = await this.redis.mget(...members.map((m) => this.valueKey(m)));
    return raws
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as StoredInvitation);
  }
}

/** The condition as the scripts read it (Lua's cjson has no `undefined`). */
function condition(when: InvitationCondition): string {
  const out: Record<string, unknown> = { phases: [...when.phases] };
  if (when.callee !== undefined) out.callee = when.callee;
  if (when.dueBy !== undefined) out.dueBy = when.dueBy;
  return JSON.stringify(out);
}

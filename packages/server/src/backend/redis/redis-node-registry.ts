/**
 * NodeRegistry on Redis: a set of known nodes (`nodes`), and per node a mark that expires
 * (`node:{<node>}:alive`, set with PX) and the set of its sessions (`node:{<node>}:sessions`,
 * JSON [app, uid, sid]). A node's two keys share the hash tag `{<node>}`, so the one script
 * that reads the mark and takes the sessions keeps to one Redis Cluster slot.
 */
import type { Redis } from 'ioredis';
import type { NodeRegistry, NodeSession } from '../node-registry.js';
import { replies } from './replies.js';

// KEYS: alive key, sessions set (one hash slot: see nodeKey). Only one caller takes a dead
// node's sessions.
// Answers nil (false) while the node is alive.
const TAKE_SESSIONS = `if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local sessions = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[2])
return sessions`;

export class RedisNodeRegistry implements NodeRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** A node's keys share a hash tag, so one script may touch them all in a Redis Cluster. */
  private nodeKey(node: string, what: 'alive' | 'sessions'): string {
    return `${this.prefix}node:{${node}}:${what}`;
  }

  private get nodesKey(): string {
    return `${this.prefix}nodes`;
  }

  async registerSession(node: string, app: string, uid: string, sid: string): Promise<void> {
    // Two keys in two hash slots: a pipeline, not a transaction (SADD is idempotent).
    replies(
      await this.redis
        .pipeline()
        .sadd(this.nodesKey, node)
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
        .sadd(this.nodesKey, node)
        .set(this.nodeKey(node, 'alive'), '1', 'PX', ttlMs, 'GET')
        .exec(),
    );
    return was === '1';
  }

  async lapsedNodes(): Promise<string[]> {
    const nodes = await this.redis.smembers(this.nodesKey);
    if (nodes.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const n of nodes) pipe.exists(this.nodeKey(n, 'alive'));
    const alive = replies(await pipe.exec());
    return nodes.filter((_, k) => alive[k] === 0);
  }

  async takeSessions(node: string): Promise<NodeSession[]> {
    const raw = (await this.redis.eval(
      TAKE_SESSIONS,
      2,
      this.nodeKey(node, 'alive'),
      this.nodeKey(node, 'sessions'),
    )) as string[] | null;
    if (raw === null) return [];
    // A node that comes back adds itself again with its next heartbeat.
    await this.redis.srem(this.nodesKey, node);
    return raw.map((r) => {
      const [app, uid, sid] = JSON.parse(r) as [string, string, string];
      return { app, uid, sid };
    });
  }
}

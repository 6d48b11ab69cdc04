/**
 * Broker on Redis pub/sub: one connection publishes, one subscribes to plain topics and one to
 * sharded ones for this node (ioredis leaves subscriber mode when a connection's last sharded
 * subscription ends, even with plain ones left, so the two never share a connection). PUBLISH
 * answers how many subscribed connections (nodes) got the message, as the interface asks.
 * Channel topics use sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis >= 7), so in a Redis Cluster a
 * channel message goes to the one shard of its channel and on to the nodes with members only.
 * ioredis reconnects; the broker subscribes again on each reconnect itself (ioredis's own
 * `autoResubscribe` sends the SUBSCRIBE without handling its promise: a connection closed while
 * one is pending, as a node shutting down right after Redis came back, rejected it unhandled).
 */
import type { Redis } from 'ioredis';
import type { Broker, BrokerHandler } from '../broker.js';

const SHARDED_PREFIX = 'channel/';

export class RedisBroker implements Broker {
  private readonly handlers = new Map<string, BrokerHandler>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly ssub: Redis,
    private readonly prefix: string,
  ) {
    const onMessage = (channel: string, message: string) => {
      const handler = this.handlers.get(channel.slice(this.prefix.length));
      if (handler) handler(JSON.parse(message) as unknown);
    };
    sub.on('message', onMessage);
    ssub.on('smessage', onMessage);
    sub.on('ready', () => this.resubscribe(sub, false));
    ssub.on('ready', () => this.resubscribe(ssub, true));
  }

  /**
   * A subscriber connection is ready (again): its topics are subscribed on it. A failure means
   * the connection went away meanwhile; the next reconnect subscribes again, a close needs none.
   */
  private resubscribe(conn: Redis, sharded: boolean): void {
    const topics: string[] = [];
    for (const topic of this.handlers.keys())
      if (topic.startsWith(SHARDED_PREFIX) === sharded) topics.push(this.prefix + topic);
    if (topics.length === 0) return;
    (sharded ? conn.ssubscribe(...topics) : conn.subscribe(...topics)).catch(() => undefined);
  }

  publish(topic: string, payload: unknown): Promise<number> {
    const data = JSON.stringify(payload);
    return topic.startsWith(SHARDED_PREFIX)
      ? (this.pub.spublish(this.prefix + topic, data) as Promise<number>)
      : this.pub.publish(this.prefix + topic, data);
  }

  async subscribe(topic: string, handler: BrokerHandler): Promise<void> {
    const fresh = !this.handlers.has(topic);
    this.handlers.set(topic, handler);
    if (!fresh) return;
    if (topic.startsWith(SHARDED_PREFIX)) await this.ssub.ssubscribe(this.prefix + topic);
    else await this.sub.subscribe(this.prefix + topic);
  }

  async unsubscribe(topic: string): Promise<void> {
    if (!this.handlers.delete(topic)) return;
    if (topic.startsWith(SHARDED_PREFIX)) await this.ssub.sunsubscribe(this.prefix + topic);
    else await this.sub.unsubscribe(this.prefix + topic);
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}

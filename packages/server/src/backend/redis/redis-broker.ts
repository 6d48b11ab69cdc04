/**
 * Broker on Redis pub/sub: one connection publishes, one subscribes for this node. PUBLISH
 * answers how many subscribed connections (nodes) got the message, as the interface asks.
 * ioredis resubscribes after a reconnect by itself.
 */
import type { Redis } from 'ioredis';
import type { Broker, BrokerHandler } from '../broker.js';

export class RedisBroker implements Broker {
  private readonly handlers = new Map<string, BrokerHandler>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
  ) {
    sub.on('message', (channel: string, message: string) => {
      const handler = this.handlers.get(channel.slice(this.prefix.length));
      if (handler) handler(JSON.parse(message) as unknown);
    });
  }

  publish(topic: string, payload: unknown): Promise<number> {
    return this.pub.publish(this.prefix + topic, JSON.stringify(payload));
  }

  async subscribe(topic: string, handler: BrokerHandler): Promise<void> {
    const fresh = !this.handlers.has(topic);
    this.handlers.set(topic, handler);
    if (fresh) await this.sub.subscribe(this.prefix + topic);
  }

  async unsubscribe(topic: string): Promise<void> {
    if (!this.handlers.delete(topic)) return;
    await this.sub.unsubscribe(this.prefix + topic);
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}

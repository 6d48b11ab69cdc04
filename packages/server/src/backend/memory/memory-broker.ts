import type { Broker, BrokerHandler } from '../broker.js';

/** In-process Broker: a map of topic → handler, for the one-node embedded default. */
export class MemoryBroker implements Broker {
  private readonly handlers = new Map<string, BrokerHandler>();

  publish(topic: string, payload: unknown): Promise<number> {
    const handler = this.handlers.get(topic);
    if (!handler) return Promise.resolve(0);
    handler(payload);
    return Promise.resolve(1);
  }

  subscribe(topic: string, handler: BrokerHandler): Promise<void> {
    this.handlers.set(topic, handler);
    return Promise.resolve();
  }

  unsubscribe(topic: string): Promise<void> {
    this.handlers.delete(topic);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}

/**
 * Broker: delivery of events between the nodes of a deployment. Topics are strings; payloads
 * are JSON-compatible values. Delivery is at most once and in publish order per topic; what
 * must not be lost is made durable in a store (the OfflineInbox), or acknowledged end to end.
 */
export type BrokerHandler = (payload: unknown) => void;

export interface Broker {
  /** Publishes to a topic; answers how many subscriptions (nodes) received it. */
  publish(topic: string, payload: unknown): Promise<number>;
  /** Starts calling `handler` for the topic; one handler per topic per node. */
  subscribe(topic: string, handler: BrokerHandler): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Batches a Redis connection's writes per event-loop turn, as the Hub does for WebSockets.
 * ioredis writes every command with a socket write of its own, a syscall each: in bench S2R's
 * profile (a peer message is a lookup and a publish on the sender's node, the receipt's publish
 * on the receiver's) `writeUtf8String` was 16–26 % of each node's CPU. Corked from a turn's first
 * command to the end of the turn, the turn's commands leave in one writev and Redis reads them
 * in one read. Order is kept (a cork only holds writes back), and a reply cannot come before
 * its command left, so nothing waits longer than the turn it was sent in.
 */
import type { Redis } from 'ioredis';

/** Wraps the write of each socket the connection gets (a reconnect brings a new one). */
export function corkPerTurn(redis: Redis): void {
  const wrapped = new WeakSet<object>();
  redis.on('connect', () => {
    const stream = redis.stream;
    if (wrapped.has(stream)) return;
    wrapped.add(stream);
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    let held = false;
    const release = (): void => {
      held = false;
      if (stream.writableCorked > 0) stream.uncork();
    };
    stream.write = ((...args: unknown[]): boolean => {
      if (!held) {
        held = true;
        stream.cork();
        setImmediate(release);
      }
      return write(...args);
    }) as typeof stream.write;
  });
}

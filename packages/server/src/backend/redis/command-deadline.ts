/**
 * Fails a command that has had no answer for `ms`, as ioredis's `commandTimeout` does, with one
 * sweep timer per connection instead of a Node timer armed and cleared for every command (a
 * peer message is two or three commands). With ioredis's timers off, a node in bench S2R kept
 * ≈ 0.1 MB alive through each scavenge instead of ≈ 1 MB; with this sweep in their place the
 * receiving node still keeps ≈ 1 MB, so that cause is not all here (bench/README P15).
 *
 * Redis answers a connection's commands in the order they were sent, so the oldest unanswered
 * command is at the head of the list: answered ones are dropped from the head as new ones are
 * sent, and the sweep fails heads older than `ms` until it meets a younger one. A command is
 * failed between `ms` and `ms` plus a sweep interval after it was sent.
 */
import type { Command, Redis } from 'ioredis';

/** A command this module watches: when it was sent, and whether it failed. */
type Watched = Command & { sentAt?: number; failed?: boolean };

/** Answered (ioredis sets `isResolved`) or failed (an error reply, a close, a pipeline's abort). */
const done = (c: Watched): boolean => c.isResolved || c.failed === true;

/** Installs the deadline on `redis`; answers a function that stops its sweep. */
export function commandDeadline(redis: Redis, ms: number): () => void {
  let sent: (Watched | undefined)[] = [];
  let head = 0;
  const dropDone = (): void => {
    while (head < sent.length && done(sent[head]!)) sent[head++] = undefined;
    if (head === sent.length) {
      sent.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > sent.length) {
      sent = sent.slice(head);
      head = 0;
    }
  };
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Watched, ...rest: unknown[]) => {
    dropDone();
    if (command.sentAt === undefined) {
      // Sent again from the offline queue after a reconnect: the first send's time still holds.
      command.sentAt = Date.now();
      // `isResolved` stays false when a command fails: that is marked here.
      const { reject } = command;
      command.reject = (err: Error) => {
        command.failed = true;
        reject(err);
      };
    }
    sent.push(command);
    return (send as (c: Command, ...r: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  const sweep = (): void => {
    const now = Date.now();
    while (head < sent.length) {
      const command = sent[head]!;
      if (!done(command)) {
        if (now - command.sentAt! < ms) break;
        command.reject(new Error('Command timed out'));
      }
      sent[head++] = undefined;
    }
    dropDone();
  };
  const timer = setInterval(sweep, Math.max(10, Math.floor(ms / 8)));
  timer.unref();
  return () => clearInterval(timer);
}

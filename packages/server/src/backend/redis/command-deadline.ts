/**
 * Fails a command that has had no answer for `ms`, as ioredis's `commandTimeout` does, with one
 * sweep timer per connection instead of a Node timer armed and cleared for every command (a
 * peer message is two or three commands): with those timers a node in bench S2R kept ≈ 1 MB
 * alive through each scavenge, without them ≈ 0.1 MB (bench/README P15).
 *
 * Redis answers a connection's commands in the order they were sent, so the oldest unanswered
 * command is at the head of the list: answered ones are dropped from the head as new ones are
 * sent, and the sweep fails heads older than `ms` until it meets a younger one. A command is
 * failed between `ms` and `ms` plus a sweep interval after it was sent.
 */
import type { Command, Redis } from 'ioredis';

/** A command this module watches: `settled` once it was answered or failed. */
type Settled = Command & { settled?: boolean };

/** Installs the deadline on `redis`; answers a function that stops its sweep. */
export function commandDeadline(redis: Redis, ms: number): () => void {
  let sent: (Command | undefined)[] = [];
  let at: number[] = [];
  let head = 0;
  const dropAnswered = (): void => {
    while (head < sent.length && (sent[head] as Settled).settled === true) sent[head++] = undefined;
    if (head === sent.length) {
      sent.length = 0;
      at.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > sent.length) {
      sent = sent.slice(head);
      at = at.slice(head);
      head = 0;
    }
  };
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, ...rest: unknown[]) => {
    dropAnswered();
    if ((command as Settled).settled === undefined) {
      // Answered or failed (an error reply, a closed connection, a pipeline's abort).
      const { resolve, reject } = command;
      (command as Settled).settled = false;
      command.resolve = (value: unknown) => {
        (command as Settled).settled = true;
        return resolve(value);
      };
      command.reject = (err: Error) => {
        (command as Settled).settled = true;
        reject(err);
      };
    }
    sent.push(command);
    at.push(Date.now());
    return (send as (c: Command, ...r: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  const sweep = (): void => {
    const now = Date.now();
    while (head < sent.length) {
      const command = sent[head]!;
      if ((command as Settled).settled !== true) {
        if (now - at[head]! < ms) break;
        command.reject(new Error('Command timed out'));
      }
      sent[head++] = undefined;
    }
    dropAnswered();
  };
  const timer = setInterval(sweep, Math.max(10, Math.floor(ms / 8)));
  timer.unref();
  return () => clearInterval(timer);
}

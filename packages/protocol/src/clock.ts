/**
 * Clock: the time and the timers a server or an SDK runs on. Both ends take one (default:
 * `systemClock`), so tests drive token expiry, rate windows, resume windows and invitation
 * timers by advancing a manual clock instead of sleeping. It lives here because both ends of
 * the protocol share it and protocol/ imports nothing; it uses no Node API.
 */

/** A scheduled callback, to cancel with `Clock.clear`. */
export interface TimerHandle {
  /** Lets the process exit while the timer is pending (Node); a no-op elsewhere. */
  unref?(): unknown;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Calls `fn` every `ms` from now on. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer of either kind; `undefined` is ignored. */
  clear(handle: TimerHandle | undefined): void;
}

/** The real time and the host's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as TimerHandle,
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms) as TimerHandle,
  clear: (handle) => {
    // clearTimeout and clearInterval are interchangeable in Node and in browsers.
    if (handle !== undefined) globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
};

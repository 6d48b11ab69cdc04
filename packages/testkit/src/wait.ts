/** Waiting for a condition: polled, with a deadline that names what never happened. */

/** A real-time pause. Only for tests that wait for a real server timer (see the report). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const POLL_MS = 10;

/** Resolves once `cond()` holds, polling; rejects after `timeoutMs` with `what`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/**
 * Resolves once the async `cond()` answers true (a store read, a REST call), asking again
 * after each answer; rejects after `timeoutMs` with `what`. For server state that settles
 * after the event a test saw, e.g. a store write that follows the reply.
 */
export async function eventually(
  cond: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/**
 * Resolves after one turn of the event loop: every microtask queued so far has run (for code
 * that reports through `queueMicrotask`, e.g. a second callback that must not come).
 */
export function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A promise whose outcome can be read without awaiting it. */
export function track<T>(p: Promise<T>): {
  settled: boolean;
  value?: T;
  error?: unknown;
  done: Promise<void>;
} {
  const t: { settled: boolean; value?: T; error?: unknown; done: Promise<void> } = {
    settled: false,
    done: Promise.resolve(),
  };
  t.done = p.then(
    (value) => {
      t.settled = true;
      t.value = value;
    },
    (error: unknown) => {
      t.settled = true;
      t.error = error;
    },
  );
  return t;
}

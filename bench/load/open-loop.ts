/**
 * Open-loop sending: the schedule is fixed by the clock, never by replies, so a slow server
 * meets a growing queue instead of a politely waiting client (no coordinated omission).
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Calls `fire(n)` for n = 0, 1, … at `ratePerSec` for `durationMs`; resolves with the count. */
export async function openLoop(
  ratePerSec: number,
  durationMs: number,
  fire: (n: number) => void,
): Promise<number> {
  const total = Math.floor((ratePerSec * durationMs) / 1000);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * ratePerSec) / 1000) + 1);
    while (sent < due) fire(sent++);
    await delay(1);
  }
  return sent;
}

/** Resolves once `done()` holds, or after `timeoutMs`; answers whether it held. */
export async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    await delay(5);
  }
  return true;
}

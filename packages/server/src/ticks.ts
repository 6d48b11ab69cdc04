/**
 * Times kept per connection, as int32 milliseconds from a process-wide origin.
 *
 * An epoch time in milliseconds is not a V8 small integer, so an object field holding one
 * becomes a boxed heap number: 16 more bytes per connection for each such field (Node 20's
 * heap has no pointer compression). A tick is a small integer and stays in the field. The
 * subtraction `clock.now() - start` alone is not enough: V8 keeps its result a heap number.
 *
 * Ticks wrap every 49.7 days; `msSince` is right while the interval is under 24.8 days, which
 * every interval measured this way is (login deadlines, liveness, the resume window).
 */
const ORIGIN = Date.now();

/**
 * `nowMs` (a clock's `now()`) as a tick. An injected clock far from the real time gives ticks
 * that have wrapped; differences of two ticks of one clock are right all the same.
 */
export function tick(nowMs: number): number {
  return (nowMs - ORIGIN) | 0;
}

/** Milliseconds from tick `then` to `nowMs`. */
export function msSince(then: number, nowMs: number): number {
  return (tick(nowMs) - then) | 0;
}

/**
 * RateCounter: calls counted per key in a sliding window shared by every node, for limits that
 * hold for a deployment rather than for one node (the REST API's calls per second per app).
 * The embedded backend has none: its one node's own count is the total.
 *
 * Guarantees: a take is atomic; of all takes of one key on any nodes, at most `limit` answer
 * true for calls whose times fall within any `windowMs`. Times are the callers' (`nowMs`, each
 * node's clock): nodes whose clocks differ by d ms shift each other's calls by d.
 */
export interface RateCounter {
  /** Counts a call of `key` at `nowMs` and answers true, or answers false and counts nothing. */
  take(key: string, limit: number, windowMs: number, nowMs: number): Promise<boolean>;
}

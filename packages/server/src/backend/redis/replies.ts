/**
 * A pipeline's or transaction's replies, or the first error among them: ioredis resolves
 * `exec()` with an [error, value] pair per command, so an error (a timeout, a lost connection)
 * would otherwise pass for an empty value.
 */
export function replies(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('Connection is closed. (transaction discarded)');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/** What the test process itself reports while a test runs. */

/** Collects the process's unhandled rejections while test `t` runs. */
export function unhandledRejections(t: { after(fn: () => void): void }): unknown[] {
  const seen: unknown[] = [];
  const onUnhandled = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  return seen;
}

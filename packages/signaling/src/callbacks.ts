/**
 * How the legacy SDK talks back: callbacks are plain properties the app assigns. A missing one
 * is skipped; one that throws is logged and never stops the SDK (as the Web SDK did).
 */

type Callback = (...args: never[]) => unknown;
type ArgsOf<F> = NonNullable<F> extends (...args: infer A) => unknown ? A : never;

/** Calls `target[name](...args)` if the app set it. */
export function fire<T extends object, K extends keyof T>(
  target: T,
  name: K,
  ...args: ArgsOf<T[K]>
): void {
  const fn = target[name] as Callback | undefined;
  if (typeof fn !== 'function') return;
  try {
    (fn as (...a: unknown[]) => unknown).apply(target, args);
  } catch (e) {
    console.error(`@parley/signaling: ${String(name)} threw`, e);
  }
}

/** Calls an app-supplied `cb` argument, if it is a function, with the same protection. */
export function callBack(cb: unknown, what: string, ...args: unknown[]): void {
  if (typeof cb !== 'function') return;
  try {
    (cb as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    console.error(`@parley/signaling: the callback of ${what} threw`, e);
  }
}

/**
 * The legacy `uid` of an account: Signaling numbered its users itself and every API still
 * carries the number, though apps address users by account. A stable, non-zero 32-bit
 * FNV-1a hash of the account, so the same account has the same uid everywhere.
 */
export function signalUid(account: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < account.length; i++) {
    h ^= account.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

/** Messages are strings; the Web SDK also took objects, which are sent as their JSON. */
export function toText(msg: unknown): string {
  if (typeof msg === 'string') return msg;
  if (typeof msg === 'object' && msg !== null) return JSON.stringify(msg);
  return String(msg);
}

/** Timers never keep a Node process alive (as the SDK's own); a no-op in browsers. */
export function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

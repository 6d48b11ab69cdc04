/**
 * A typed event emitter with the surface agora-rtm-sdk's `EventEmitter` declares (`on`,
 * `once`, `off`, `removeAllListeners`, `listeners`, `rawListeners`, `listenerCount`), without
 * Node's `events` module so the SDK bundles for browsers. A listener that throws does not stop
 * the others, nor the SDK.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-function-type */
export type ListenerType<T> = [T] extends [(...args: infer U) => any]
  ? U
  : [T] extends [void]
    ? []
    : [T];

interface Entry {
  fn: (...args: any[]) => any;
  raw: Function;
}

export class EventEmitter<TEventRecord = object> {
  static defaultMaxListeners = 10;
  private readonly events = new Map<keyof TEventRecord, Entry[]>();

  on<P extends keyof TEventRecord>(
    event: P,
    listener: (...args: ListenerType<TEventRecord[P]>) => void,
  ): this {
    this.add(event, { fn: listener, raw: listener });
    return this;
  }

  once<P extends keyof TEventRecord>(
    event: P,
    listener: (...args: ListenerType<TEventRecord[P]>) => void,
  ): this {
    const entry: Entry = {
      fn: (...args: any[]) => {
        this.remove(event, entry);
        (listener as (...a: any[]) => void)(...args);
      },
      raw: listener,
    };
    this.add(event, entry);
    return this;
  }

  off<P extends keyof TEventRecord>(event: P, listener: (...args: any[]) => any): this {
    const list = this.events.get(event);
    const entry = list?.find((e) => e.raw === listener || e.fn === listener);
    if (entry) this.remove(event, entry);
    return this;
  }

  removeAllListeners<P extends keyof TEventRecord>(event?: P): this {
    if (event === undefined) this.events.clear();
    else this.events.delete(event);
    return this;
  }

  listeners<P extends keyof TEventRecord>(event: P): Function[] {
    return (this.events.get(event) ?? []).map((e) => e.raw);
  }

  rawListeners<P extends keyof TEventRecord>(event: P): Function[] {
    return (this.events.get(event) ?? []).map((e) => e.fn);
  }

  listenerCount<P extends keyof TEventRecord>(event: P): number {
    return this.events.get(event)?.length ?? 0;
  }

  /** @internal Calls the listeners of `event` in order. */
  protected emit<P extends keyof TEventRecord>(
    event: P,
    ...args: ListenerType<TEventRecord[P]>
  ): void {
    const list = this.events.get(event);
    if (!list) return;
    for (const e of [...list]) {
      try {
        e.fn(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  private add(event: keyof TEventRecord, entry: Entry): void {
    const list = this.events.get(event);
    if (list) list.push(entry);
    else this.events.set(event, [entry]);
  }

  private remove(event: keyof TEventRecord, entry: Entry): void {
    const list = this.events.get(event);
    if (!list) return;
    const k = list.indexOf(entry);
    if (k >= 0) list.splice(k, 1);
    if (list.length === 0) this.events.delete(event);
  }
}

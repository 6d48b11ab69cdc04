import type { EventLog, EventLogKind, LoggedEvent } from '../event-log.js';

/** The REST event pull's events in memory, for the one-node embedded default. */
export class MemoryEventLog implements EventLog {
  /** app → kind → events, oldest first (a ring would save the shift; 2,000 is small). */
  private readonly logs = new Map<string, Map<EventLogKind, LoggedEvent[]>>();

  constructor(private readonly maxPerApp: number) {}

  append(app: string, kind: EventLogKind, event: LoggedEvent): Promise<void> {
    let byKind = this.logs.get(app);
    if (!byKind) this.logs.set(app, (byKind = new Map()));
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = []));
    list.push(event);
    if (list.length > this.maxPerApp) list.splice(0, list.length - this.maxPerApp);
    return Promise.resolve();
  }

  take(app: string, kind: EventLogKind, max: number): Promise<LoggedEvent[]> {
    const byKind = this.logs.get(app);
    const list = byKind?.get(kind);
    if (!byKind || !list) return Promise.resolve([]);
    const taken = list.splice(0, max);
    if (list.length === 0) byKind.delete(kind);
    if (byKind.size === 0) this.logs.delete(app);
    return Promise.resolve(taken);
  }
}

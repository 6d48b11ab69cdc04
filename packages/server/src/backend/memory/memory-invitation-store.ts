import type {
  InvitationCondition,
  InvitationPatch,
  InvitationStore,
  StoredInvitation,
} from '../invitation-store.js';

// App ids hold no '\n' and user ids none either (see ids.ts), so these keys are unambiguous.
const key = (app: string, caller: string, id: string): string => `${app}\n${caller}\n${id}`;
const userKey = (app: string, uid: string): string => `${app}\n${uid}`;

/**
 * Invitation state in memory, for the one-node embedded default. Deadlines are found by a scan:
 * the service asks only when a deadline fires, and invitations live a minute at most.
 */
export class MemoryInvitationStore implements InvitationStore {
  private readonly live = new Map<string, StoredInvitation>();
  /** Invitation keys by the user who sends or receives them, in creation order. */
  private readonly byUser = new Map<string, Set<string>>();

  create(inv: StoredInvitation): Promise<boolean> {
    const k = key(inv.app, inv.caller, inv.id);
    if (this.live.has(k)) return Promise.resolve(false);
    this.live.set(k, { ...inv });
    this.index(userKey(inv.app, inv.caller), k, true);
    this.index(userKey(inv.app, inv.callee), k, true);
    return Promise.resolve(true);
  }

  get(app: string, caller: string, id: string): Promise<StoredInvitation | undefined> {
    const inv = this.live.get(key(app, caller, id));
    return Promise.resolve(inv && { ...inv });
  }

  update(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
    patch: InvitationPatch,
  ): Promise<StoredInvitation | undefined> {
    const inv = this.live.get(key(app, caller, id));
    if (!inv || !meets(inv, when)) return Promise.resolve(undefined);
    Object.assign(inv, patch);
    return Promise.resolve({ ...inv });
  }

  remove(
    app: string,
    caller: string,
    id: string,
    when: InvitationCondition,
  ): Promise<StoredInvitation | undefined> {
    const k = key(app, caller, id);
    const inv = this.live.get(k);
    if (!inv || !meets(inv, when)) return Promise.resolve(undefined);
    this.live.delete(k);
    this.index(userKey(app, inv.caller), k, false);
    this.index(userKey(app, inv.callee), k, false);
    return Promise.resolve(inv);
  }

  due(now: number, limit: number): Promise<StoredInvitation[]> {
    const out: StoredInvitation[] = [];
    for (const inv of this.live.values()) if (inv.deadline <= now) out.push({ ...inv });
    out.sort((a, b) => a.deadline - b.deadline);
    return Promise.resolve(out.slice(0, limit));
  }

  nextDeadline(): Promise<number | undefined> {
    let next: number | undefined;
    for (const inv of this.live.values())
      if (next === undefined || inv.deadline < next) next = inv.deadline;
    return Promise.resolve(next);
  }

  ofUser(app: string, uid: string): Promise<StoredInvitation[]> {
    const keys = this.byUser.get(userKey(app, uid));
    const out: StoredInvitation[] = [];
    for (const k of keys ?? []) out.push({ ...this.live.get(k)! });
    return Promise.resolve(out);
  }

  count(): Promise<number> {
    return Promise.resolve(this.live.size);
  }

  private index(user: string, k: string, add: boolean): void {
    let keys = this.byUser.get(user);
    if (add) {
      if (!keys) this.byUser.set(user, (keys = new Set()));
      keys.add(k);
    } else if (keys) {
      keys.delete(k);
      if (keys.size === 0) this.byUser.delete(user);
    }
  }
}

function meets(inv: StoredInvitation, when: InvitationCondition): boolean {
  if (!when.phases.includes(inv.phase)) return false;
  if (when.callee !== undefined && inv.callee !== when.callee) return false;
  return when.dueBy === undefined || inv.deadline <= when.dueBy;
}

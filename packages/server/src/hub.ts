/** Hub: the sessions on this node, by session id and by user. */
import type { Session } from './session.js';

export class Hub {
  private readonly bySid = new Map<string, Session>();
  /** app → uid → session: no key string made per session or per lookup. */
  private readonly byUser = new Map<string, Map<string, Session>>();

  get size(): number {
    return this.bySid.size;
  }

  add(session: Session): void {
    this.bySid.set(session.sid, session);
    let users = this.byUser.get(session.app);
    if (!users) this.byUser.set(session.app, (users = new Map()));
    users.set(session.uid, session);
  }

  remove(session: Session): void {
    if (this.bySid.get(session.sid) === session) this.bySid.delete(session.sid);
    const users = this.byUser.get(session.app);
    if (users?.get(session.uid) !== session) return;
    users.delete(session.uid);
    if (users.size === 0) this.byUser.delete(session.app);
  }

  bySessionId(sid: string): Session | undefined {
    return this.bySid.get(sid);
  }

  byUserId(app: string, uid: string): Session | undefined {
    return this.byUser.get(app)?.get(uid);
  }

  all(): IterableIterator<Session> {
    return this.bySid.values();
  }
}

/** Hub: the sessions on this node, by session id and by user. */
import type { Session } from './session.js';

export class Hub {
  private readonly bySid = new Map<string, Session>();
  private readonly byUser = new Map<string, Session>();

  get size(): number {
    return this.bySid.size;
  }

  add(session: Session): void {
    this.bySid.set(session.sid, session);
    this.byUser.set(session.app + '/' + session.uid, session);
  }

  remove(session: Session): void {
    this.bySid.delete(session.sid);
    const key = session.app + '/' + session.uid;
    if (this.byUser.get(key) === session) this.byUser.delete(key);
  }

  bySessionId(sid: string): Session | undefined {
    return this.bySid.get(sid);
  }

  byUserId(app: string, uid: string): Session | undefined {
    return this.byUser.get(app + '/' + uid);
  }

  all(): IterableIterator<Session> {
    return this.bySid.values();
  }
}

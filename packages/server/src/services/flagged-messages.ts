/**
 * Flagged messages (sent with `enableOfflineMessaging`) held by sessions that are not live: each
 * is committed to the offline store before its sender hears, whatever happens to the node
 * afterwards. A resumed session's ack deletes the stored copy (also when it came during the
 * write); an ended session's copies stay for the next login.
 */
import type { Backend } from '../backend/backend.js';
import type { StoredMessage } from '../backend/offline-inbox.js';
import type { Hub } from '../hub.js';
import type { ReplyTarget, Session, UnstoredMessage } from '../session.js';
import type { NotReceived } from './peers.js';

type Settle = (reply: ReplyTarget, recv: boolean, why?: NotReceived) => Promise<void>;

export class FlaggedMessages {
  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly settle: Settle,
  ) {}

  /**
   * A flagged message pushed to a session that is not live (frame `s`, 0 if the outbox was
   * full): resolves once it is in the offline store (and gone from it if acknowledged meanwhile).
   */
  storePushed(session: Session, msg: StoredMessage, s: number): Promise<void> {
    return this.track(
      session,
      (async () => {
        await this.backend.offline.putOffline(session.app, session.uid, msg);
        if (s > 0 && !session.pending(s)) await this.forget(session, [msg.mid]);
      })(),
    );
  }

  /** Deletes stored copies the receiver acknowledged while they were being written. */
  forget(session: Session, mids: string[]): Promise<void> {
    return this.backend.offline.deleteOffline(session.app, session.uid, mids);
  }

  /** Writes of flagged messages to the offline store still under way (awaited at shutdown). */
  private readonly storing = new Set<Promise<void>>();
  /** The same, by user (app NUL uid): a fresh login lists the store once they are done. */
  private readonly storingFor = new Map<string, Set<Promise<void>>>();

  /**
   * Resolves once the writes of the user's flagged messages under way now are done (a session
   * of the user that just ended may still be writing what a fresh login is about to list).
   */
  async written(app: string, uid: string): Promise<void> {
    const writes = this.storingFor.size > 0 ? this.storingFor.get(app + '\u0000' + uid) : undefined;
    if (writes) await Promise.allSettled([...writes]);
  }

  /**
   * The receiver's socket dropped: the flagged messages it had not acknowledged are committed
   * to the offline store, and their senders hear "stored"; the other senders hear "pending".
   */
  detached(session: Session): Promise<void> {
    const { unstored } = session.takeUnstored();
    const storing = new Set(unstored.map((u) => u.entry.reply));
    const replies = session.takeReplies();
    const settled = replies.filter((r) => !storing.has(r));
    const work = (async () => {
      for (const r of settled) await this.settle(r, false, 'pending');
      await this.store(session, unstored);
      for (const r of replies) if (storing.has(r)) await this.settle(r, false, 'stored');
    })();
    return this.track(session, work);
  }

  /**
   * The session ends (its resume window lapsed, logout, kick; not replaced): its flagged
   * undelivered messages move to the offline store, the unflagged ones are dropped (their
   * senders were told `hasPeerReceived: false`): answers how many were dropped.
   */
  async ending(session: Session): Promise<number> {
    const { unstored, unflagged } = session.takeUnstored();
    await this.track(session, this.store(session, unstored));
    return unflagged;
  }

  /** Every local session's flagged undelivered messages, to the store (before shutting down). */
  async persistAll(): Promise<void> {
    for (const session of this.hub.all()) {
      const { unstored } = session.takeUnstored();
      if (unstored.length > 0) void this.track(session, this.store(session, unstored));
    }
    while (this.storing.size > 0) await Promise.allSettled([...this.storing]);
  }

  private track(session: Session, work: Promise<void>): Promise<void> {
    const key = session.app + '\u0000' + session.uid;
    let forUser = this.storingFor.get(key);
    if (!forUser) this.storingFor.set(key, (forUser = new Set()));
    const user = forUser;
    this.storing.add(work);
    user.add(work);
    const done = () => {
      this.storing.delete(work);
      user.delete(work);
      if (user.size === 0 && this.storingFor.get(key) === user) this.storingFor.delete(key);
    };
    work.then(done, done);
    return work;
  }

  private async store(session: Session, unstored: UnstoredMessage[]): Promise<void> {
    if (unstored.length === 0) return;
    const { app, uid } = session;
    await Promise.all(unstored.map((u) => this.backend.offline.putOffline(app, uid, u.msg)));
    // Acknowledged while being written (a resume): gone from the store too.
    const gone = unstored.filter((u) => !session.pending(u.entry.s)).map((u) => u.msg.mid);
    if (gone.length > 0) await this.forget(session, gone);
  }
}

/**
 * Invitations that follow their user across the death of its node. A push for a user whose
 * node stopped listening waits in the user's park (with its peer messages) for the node the
 * user lands on, addressed to whichever session holds the user there: the one it named is
 * gone. A fresh session that replaced one of a dead node takes over that session's invitations
 * (re-addressed in the store), and its login result names them so that its SDK keeps them live.
 */
import type { KeptInvitations, LoginResult } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import { ALL_PHASES } from '../backend/invitation-store.js';
import type { UserEvent } from '../service.js';
import type { Session } from '../session.js';
import type { UserRouter } from '../user-router.js';

/** An invitation push on its way to a user (see invitations.ts). */
export interface InvitationEvent extends UserEvent {
  t: 'inv';
  /** Only this session takes it; '' = whichever session holds the user. */
  sid: string;
  push: unknown;
}

export class FollowingInvitations {
  constructor(
    private readonly backend: Backend,
    private readonly router: UserRouter,
    /** How long a parked push waits for its user (the resume window and a little). */
    private readonly parkTtlMs: number,
  ) {}

  /** Routes `e` to its user; answers how many nodes took it (0: offline, or parked). */
  async publish(app: string, uid: string, e: InvitationEvent): Promise<number> {
    const heard = await this.router.reach(app, uid, e);
    if (heard !== 'unheard') return heard;
    const parked: InvitationEvent = { t: 'inv', sid: '', push: e.push };
    await this.backend.parked.park(app, uid, parked, this.parkTtlMs);
    // Landed meanwhile (its node took the park before this): that node takes it now.
    await this.router.toUser(app, uid, { t: 'parked' });
    return 0;
  }

  /**
   * `session` replaced `fromSid`, a session of a dead node: the invitations that session sent
   * or had received are now its own; the login result names them.
   */
  async takeOver(session: Session, fromSid: string, result: LoginResult): Promise<void> {
    const { app, uid, sid } = session;
    const store = this.backend.invitations;
    const kept: KeptInvitations = { out: [], in: [] };
    for (const inv of await store.ofUser(app, uid)) {
      const when = { phases: ALL_PHASES };
      if (inv.caller === uid && inv.callerSid === fromSid) {
        if (await store.update(app, inv.caller, inv.id, when, { callerSid: sid }))
          kept.out.push(inv.id);
      } else if (inv.callee === uid && inv.calleeSid === fromSid) {
        const to = { ...when, callee: uid };
        if (await store.update(app, inv.caller, inv.id, to, { calleeSid: sid }))
          kept.in.push({ f: inv.caller, id: inv.id });
      } else if (inv.callee === uid && inv.calleeSid === '' && inv.phase === 'ringing')
        // Pushed to the dead session, maybe never acknowledged: pushed again once it starts.
        kept.in.push({ f: inv.caller, id: inv.id });
    }
    if (kept.out.length + kept.in.length > 0) result.inv = kept;
  }
}

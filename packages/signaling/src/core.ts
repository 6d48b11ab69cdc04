/**
 * What a session lends its channel and its calls: the RTM client underneath and the session's
 * own callbacks. Internal; apps see only Session, Channel and Call.
 */
import type { ParleyExtensions, RtmClient } from '@parley/sdk';
import type { TelephonyRequestBody } from '@parley/protocol';

export interface SessionCore {
  readonly client: RtmClient;
  readonly ext: ParleyExtensions;
  readonly account: string;
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

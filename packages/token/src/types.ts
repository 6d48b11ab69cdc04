/** Result types shared by every token format. */

export type TokenKind = '006' | '007' | 'signaling';

export type TokenFailure =
  'malformed' | 'wrong_app' | 'wrong_uid' | 'bad_signature' | 'expired' | 'no_privilege';

export type TokenCheck =
  | {
      ok: true;
      kind: TokenKind;
      /** Unix seconds when the login privilege ends; 0 = never. */
      expireTs: number;
    }
  | { ok: false; reason: TokenFailure; message: string };

export interface VerifyOptions {
  appId: string;
  appCertificate: string;
  uid: string;
  /** Current time in unix seconds; defaults to the system clock. */
  nowSec?: number;
}

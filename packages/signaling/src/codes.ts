/**
 * Legacy Signaling's own error codes (`AGORA_E_CODE` of `agora_sig.h`), as data, and how the
 * RTM errors and failure reasons of the SDK underneath map onto them.
 */
import type { RtmError } from '@parley/sdk';
import { AttributeOperationError, LoginError } from '@parley/protocol';

export const SignalingCode = {
  SUCCESS: 0,
  LOGOUT_E_OTHER: 100,
  LOGOUT_E_USER: 101,
  LOGOUT_E_NET: 102,
  LOGOUT_E_KICKED: 103,
  LOGOUT_E_PACKET: 104,
  LOGOUT_E_TOKENEXPIRED: 105,
  LOGOUT_E_OLDVERSION: 106,
  LOGOUT_E_TOKENWRONG: 107,
  LOGOUT_E_ALREADY_LOGOUT: 108,
  LOGIN_E_OTHER: 200,
  LOGIN_E_NET: 201,
  LOGIN_E_FAILED: 202,
  LOGIN_E_CANCEL: 203,
  LOGIN_E_TOKENEXPIRED: 204,
  LOGIN_E_OLDVERSION: 205,
  LOGIN_E_TOKENWRONG: 206,
  LOGIN_E_TOKEN_KICKED: 207,
  LOGIN_E_ALREADY_LOGIN: 208,
  LOGIN_E_INVALID_USER: 209,
  JOINCHANNEL_E_OTHER: 300,
  SENDMESSAGE_E_OTHER: 400,
  SENDMESSAGE_E_TIMEOUT: 401,
  QUERYUSERNUM_E_OTHER: 500,
  QUERYUSERNUM_E_TIMEOUT: 501,
  QUERYUSERNUM_E_BYUSER: 502,
  LEAVECHANNEL_E_OTHER: 600,
  LEAVECHANNEL_E_KICKED: 601,
  LEAVECHANNEL_E_BYUSER: 602,
  LEAVECHANNEL_E_LOGOUT: 603,
  LEAVECHANNEL_E_DISCONN: 604,
  INVITE_E_OTHER: 700,
  INVITE_E_REINVITE: 701,
  INVITE_E_NET: 702,
  INVITE_E_PEEROFFLINE: 703,
  INVITE_E_TIMEOUT: 704,
  INVITE_E_CANTRECV: 705,
  GENERAL_E: 1000,
  GENERAL_E_FAILED: 1001,
  GENERAL_E_UNKNOWN: 1002,
  GENERAL_E_NOT_LOGIN: 1003,
  GENERAL_E_WRONG_PARAM: 1004,
  GENERAL_E_LARGE_PARAM: 1005,
} as const;

const C = SignalingCode;

/** `onLoginFailed` code for each RTM `LoginError` code. */
const LOGIN: Readonly<Record<number, number>> = {
  [LoginError.UNKNOWN]: C.LOGIN_E_OTHER,
  // e.g. banned
  [LoginError.REJECTED]: C.LOGIN_E_FAILED,
  // the account is not a valid user id
  [LoginError.INVALID_ARGUMENT]: C.LOGIN_E_INVALID_USER,
  [LoginError.INVALID_APP_ID]: C.LOGIN_E_FAILED,
  [LoginError.INVALID_TOKEN]: C.LOGIN_E_TOKENWRONG,
  [LoginError.TOKEN_EXPIRED]: C.LOGIN_E_TOKENEXPIRED,
  // no token (or _no_need_token) for an app with a certificate
  [LoginError.NOT_AUTHORIZED]: C.LOGIN_E_TOKENWRONG,
  [LoginError.ALREADY_LOGIN]: C.LOGIN_E_ALREADY_LOGIN,
  // the server could not be reached in time
  [LoginError.TIMEOUT]: C.LOGIN_E_NET,
  [LoginError.TOO_OFTEN]: C.LOGIN_E_OTHER,
  [LoginError.ABORTED_BY_LOGOUT]: C.LOGIN_E_CANCEL,
};

export function loginFailureCode(e: unknown): number {
  const code = (e as Partial<RtmError> | undefined)?.code;
  return (typeof code === 'number' && LOGIN[code]) || C.LOGIN_E_NET;
}

/** `onMessageSendError` code: SENDMESSAGE_E_TIMEOUT for a timeout, else SENDMESSAGE_E_OTHER. */
export function sendFailureCode(e: unknown): number {
  return isTimeout(e) ? C.SENDMESSAGE_E_TIMEOUT : C.SENDMESSAGE_E_OTHER;
}

/** `onChannelQueryUserNumResult` code of a failure. */
export function queryNumFailureCode(e: unknown): number {
  return isTimeout(e) ? C.QUERYUSERNUM_E_TIMEOUT : C.QUERYUSERNUM_E_OTHER;
}

/** GENERAL_E_* code (for `onError` and the callbacks of attribute writes) of a failure. */
export function generalCode(e: unknown): number {
  const err = e as Partial<RtmError> | undefined;
  if (err?.name === 'RtmInvalidArgumentError') return C.GENERAL_E_WRONG_PARAM;
  if (err?.name === 'RtmInvalidStatusError') return C.GENERAL_E_NOT_LOGIN;
  if (err?.api === 'attributes' && err.code === AttributeOperationError.SIZE_OVERFLOW)
    return C.GENERAL_E_LARGE_PARAM;
  return C.GENERAL_E_FAILED;
}

/** `onInviteFailed` code of an RTM LocalInvitationFailureReason / RemoteInvitationFailureReason. */
const INVITE: Readonly<Record<string, number>> = {
  PEER_OFFLINE: C.INVITE_E_PEEROFFLINE,
  PEER_NO_RESPONSE: C.INVITE_E_TIMEOUT,
  INVITATION_EXPIRE: C.INVITE_E_TIMEOUT,
  NOT_LOGGEDIN: C.GENERAL_E_NOT_LOGIN,
  ACCEPT_FAILURE: C.INVITE_E_OTHER,
  UNKNOWN: C.INVITE_E_OTHER,
};

export function inviteFailureCode(reason: string): number {
  return INVITE[reason] ?? C.INVITE_E_OTHER;
}

function isTimeout(e: unknown): boolean {
  return (e as { name?: unknown } | undefined)?.name === 'RtmTimeoutError';
}

/** A readable message of any failure. */
export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Frames of invitations to phone numbers (legacy Signaling `channelInvitePhone*`,
 * `channelInviteDTMF`, `channelInviteEnd` of a phone call). The server does not place calls:
 * it POSTs each request to the operator's telephony gateway (`PARLEY_TELEPHONY_WEBHOOK`) and
 * answers `ok` once the gateway took it, or `err` with a `TelephonyError` code.
 */

/** Invite a phone number into a channel (Signaling `channelInvitePhone` / `2` / `3`). */
export interface TelephonyInviteReq {
  t: 'tel.invite';
  i: number;
  /** Channel the call is about. */
  c: string;
  /** The phone number (or SIP address) to call. */
  phone: string;
  /** Caller number shown on the phone (`sourcesNum` / `srcNum`), if any. */
  src?: string;
  /** The invitation's `extra` (JSON text, at most 8 KB), if any. */
  extra?: string;
}

/** DTMF tones for a phone call (Signaling `channelInviteDTMF`). */
export interface TelephonyDtmfReq {
  t: 'tel.dtmf';
  i: number;
  c: string;
  phone: string;
  /** Tones: 0-9 * # A-D, at most 64. */
  dtmf: string;
}

/** Hang up or cancel a phone call (Signaling `channelInviteEnd` on a phone call). */
export interface TelephonyEndReq {
  t: 'tel.end';
  i: number;
  c: string;
  phone: string;
  extra?: string;
}

/** Telephony requests (client → server). */
export type TelephonyRequest = TelephonyInviteReq | TelephonyDtmfReq | TelephonyEndReq;

/** A telephony request as a client builds it, before the connection gives it an id. */
export type TelephonyRequestBody = TelephonyRequest extends infer R
  ? R extends TelephonyRequest
    ? Omit<R, 'i'>
    : never
  : never;

/**
 * Codes of telephony `err` replies. No RTM API covers telephony, so these are the legacy
 * Signaling codes (`AGORA_E_CODE`) a Signaling app already handles.
 */
export const TelephonyError = {
  /** No gateway is configured, the gateway refused, or too many requests (INVITE_E_OTHER). */
  OTHER: 700,
  /** The gateway could not be reached or did not answer in time (INVITE_E_NET). */
  NET: 702,
  /** A bad channel, phone number, DTMF string or extra (GENERAL_E_WRONG_PARAM). */
  WRONG_PARAM: 1004,
} as const;

/** Largest `extra` of a telephony request, in UTF-8 bytes (Signaling's invite extra limit). */
export const maxTelephonyExtraBytes = 8 * 1024;

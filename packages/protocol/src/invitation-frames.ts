/**
 * Frames of call invitations (RTM `LocalInvitation` on the caller's side, `RemoteInvitation`
 * on the callee's).
 *
 * The server holds every invitation's state and timers; the SDKs mirror it. An invitation is
 * named by its caller and an `id` the caller's SDK chose; the callee's side names the caller
 * in `f`. Every outcome reaches each side once, as a reliable push (`linv` to the caller,
 * `rinv` to the callee), so it survives a resume. The happy path:
 *
 * ```text
 * caller SDK                      server                             callee SDK
 * inv.send ──────────────────▶ (callee offline: it waits for a login)
 *                                 ── rinv Received ────────────────▶
 *                                 ◀──────────────────────── inv.ack   (the callee's SDK has it)
 *          ◀── linv ReceivedByPeer
 *                                 ◀─────────────── inv.accept / inv.refuse (with a response)
 *          ◀── linv Accepted / Refused
 * inv.confirm ───────────────▶    ── rinv Accepted ────────────────▶  (the caller took the accept)
 * ```
 */

/** Invitation limits, in UTF-8 bytes (content and response, as agora-rtm-sdk checks them). */
export const InvitationLimits = {
  maxTextBytes: 8 * 1024,
} as const;

/** `LocalInvitationFailureReason` values the server sends. */
export type LocalInvitationFailure =
  'PEER_OFFLINE' | 'PEER_NO_RESPONSE' | 'INVITATION_EXPIRE' | 'NOT_LOGGEDIN' | 'UNKNOWN';
/** `RemoteInvitationFailureReason` values the server sends. */
export type RemoteInvitationFailure =
  'PEER_OFFLINE' | 'ACCEPT_FAILURE' | 'INVITATION_EXPIRE' | 'UNKNOWN';

// ---------- caller → server ----------

/** `LocalInvitation.send()`. A resent `inv.send` of a live invitation is answered `ok` again. */
export interface InvitationSendReq {
  t: 'inv.send';
  i: number;
  /** The invitation id, chosen by the caller's SDK: unique among its caller's invitations. */
  id: string;
  /** calleeId */
  to: string;
  /** channelId; '' when not set. */
  ch: string;
  /** content */
  c: string;
}
/** `LocalInvitation.cancel()`, with the content as it is then. */
export interface InvitationCancelReq {
  t: 'inv.cancel';
  i: number;
  id: string;
  c: string;
}
/** The caller's SDK took the accept (`linv Accepted`); the callee then hears `rinv Accepted`. */
export interface InvitationConfirmReq {
  t: 'inv.confirm';
  i: number;
  id: string;
}

// ---------- callee → server ----------

/** The callee's SDK has the invitation (`rinv Received`); the caller then hears ReceivedByPeer. */
export interface InvitationAckReq {
  t: 'inv.ack';
  i: number;
  /** callerId */
  f: string;
  id: string;
}
/** `RemoteInvitation.accept()` / `refuse()`, with the response. */
export interface InvitationAnswerReq {
  t: 'inv.accept' | 'inv.refuse';
  i: number;
  f: string;
  id: string;
  /** response */
  r: string;
}
/**
 * The caller ended the call with the legacy end-call peer message
 * (`END_CALL_PREFIX_<channelId>_<extra>`): the callee's SDK canceled the invitation (with
 * `extra` as its content), and the caller's side ends as canceled.
 */
export interface InvitationEndCallReq {
  t: 'inv.endcall';
  i: number;
  f: string;
  id: string;
}

/** Invitation requests (client → server). */
export type InvitationRequest =
  | InvitationSendReq
  | InvitationCancelReq
  | InvitationConfirmReq
  | InvitationAckReq
  | InvitationAnswerReq
  | InvitationEndCallReq;

// ---------- server → client (reliable: numbered by the session) ----------

/** An event of the caller's LocalInvitation `id` (`e` is the event name after `LocalInvitation`). */
export type LocalInvitationPush = { t: 'linv'; s: number; id: string } & (
  | { e: 'ReceivedByPeer' | 'Canceled' }
  | { e: 'Accepted' | 'Refused'; r: string }
  | { e: 'Failure'; why: LocalInvitationFailure }
);

/** An event of the callee's RemoteInvitation (`f`, `id`) (`e` is the name after `RemoteInvitation`). */
export type RemoteInvitationPush = { t: 'rinv'; s: number; f: string; id: string } & (
  | { e: 'Received'; ch: string; c: string }
  | { e: 'Canceled'; c: string }
  | { e: 'Accepted' }
  | { e: 'Failure'; why: RemoteInvitationFailure }
);

/** Invitation pushes that must survive a reconnect (carry the session sequence `s`). */
export type InvitationReliablePush = LocalInvitationPush | RemoteInvitationPush;

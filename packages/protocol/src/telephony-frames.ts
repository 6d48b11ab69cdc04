/** Frames of invitations to phone numbers (legacy Signaling `channelInviteDTMF` / phone calls). */

/** Telephony requests (client → server). */
export type TelephonyRequest = never;

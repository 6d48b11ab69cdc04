/**
 * When the shared store (Redis) cannot be reached, a request fails fast with its API's TIMEOUT
 * code — the RTM code for "try again" — or FAILURE where the API has none, never with a
 * generic internal error, and never hangs.
 */
import {
  AttributeOperationError,
  ChannelMessageError,
  GetChannelMemberCountError,
  GetMembersError,
  JoinChannelError,
  LeaveChannelError,
  LoginError,
  LogoutError,
  MetadataOperationError,
  MetadataSubscriptionError,
  PeerMessageError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  RenewTokenError,
} from '@parley/protocol';

const CODES: Readonly<Record<string, number>> = {
  login: LoginError.TIMEOUT,
  logout: LogoutError.REJECTED,
  renew: RenewTokenError.FAILURE,
  psend: PeerMessageError.TIMEOUT,
  pquery: QueryPeersOnlineStatusError.TIMEOUT,
  psub: PeerSubscriptionStatusError.TIMEOUT,
  punsub: PeerSubscriptionStatusError.TIMEOUT,
  plist: QueryPeersBySubscriptionOptionError.TIMEOUT,
  join: JoinChannelError.TIMEOUT,
  leave: LeaveChannelError.FAILURE,
  csend: ChannelMessageError.TIMEOUT,
  members: GetMembersError.TIMEOUT,
  mcount: GetChannelMemberCountError.TIMEOUT,
  uattr: AttributeOperationError.TIMEOUT,
  'uattr.get': AttributeOperationError.TIMEOUT,
  cattr: AttributeOperationError.TIMEOUT,
  'cattr.get': AttributeOperationError.TIMEOUT,
  meta: MetadataOperationError.TIMEOUT,
  'meta.get': MetadataOperationError.TIMEOUT,
  'meta.sub': MetadataSubscriptionError.TIMEOUT,
  'meta.unsub': MetadataSubscriptionError.TIMEOUT,
};

/** The error frame for request `op` #`i` that failed because the store was unreachable. */
export function unavailableReply(
  op: string,
  i: number,
): { t: 'err'; i: number; c: number; m: string } {
  return {
    t: 'err',
    i,
    c: CODES[op] ?? 1,
    m: `${op}: the shared store is unreachable right now; try again`,
  };
}

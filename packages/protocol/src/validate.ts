/**
 * Validation of every inbound client frame, at the edge, before any service sees it.
 *
 * `parseClientFrame` answers one of three things:
 * - `frame`: a well-formed frame, rebuilt with only its known fields (services trust it);
 * - `reject`: a well-formed request whose fields break a rule; reply `err` with `code`;
 * - `malformed`: not a protocol frame at all; close the socket with `reason`.
 */
import { decodeFrame } from './codec.js';
import {
  LoginError,
  PeerMessageError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  RenewTokenError,
} from './errors.js';
import type { ClientFrame, PeerSendReq, PresenceQueryReq } from './frames.js';
import { ID_RULE, isValidAppId, isValidId } from './ids.js';
import { Limits } from './limits.js';
import { channelValidators } from './validate-channels.js';
import { invitationValidators } from './validate-invitations.js';
import { metadataValidators } from './validate-metadata.js';
import { telephonyValidators } from './validate-telephony.js';
import { Reject, idList, signalingFlag, token, wireMessage, type Validator } from './validation.js';

export type Parsed =
  | { kind: 'frame'; frame: ClientFrame }
  | { kind: 'reject'; id: number; op: string; code: number; message: string }
  | { kind: 'malformed'; reason: string };

const coreValidators: Record<string, Validator> = {
  login(f, i) {
    const code = LoginError.INVALID_ARGUMENT;
    if (!isValidAppId(f.a))
      throw new Reject(
        LoginError.INVALID_APP_ID,
        'appId: must be 1-64 characters of A-Z a-z 0-9 _ . -',
      );
    if (!isValidId(f.u)) throw new Reject(code, `uid: must be ${ID_RULE}`);
    const k = token(f.k, code, 'token');
    let r: { sid: string; s: number; c?: Record<string, number> } | undefined;
    if (f.r !== undefined) {
      const rr = f.r as { sid?: unknown; s?: unknown } | null;
      if (
        typeof rr !== 'object' ||
        rr === null ||
        typeof rr.sid !== 'string' ||
        rr.sid.length > 64 ||
        !Number.isSafeInteger(rr.s) ||
        (rr.s as number) < 0
      )
        throw new Reject(code, 'resume: must be {sid: string, s: non-negative integer}');
      r = { sid: rr.sid, s: rr.s as number };
      const c = (rr as { c?: unknown }).c;
      if (c !== undefined) {
        if (typeof c !== 'object' || c === null || Array.isArray(c))
          throw new Reject(code, 'resume.c: must map channel ids to sequences');
        // fromEntries: a channel named `__proto__` stays an own key.
        r.c = Object.fromEntries(
          Object.entries(c)
            .slice(0, Limits.maxJoinedChannels)
            .filter(([id, n]) => isValidId(id) && Number.isSafeInteger(n) && (n as number) >= 0),
        ) as Record<string, number>;
      }
    }
    return { t: 'login', i, a: f.a, u: f.u, ...(k ? { k } : {}), ...(r ? { r } : {}) };
  },
  logout: (_f, i) => ({ t: 'logout', i }),
  renew(f, i) {
    const k = token(f.k, RenewTokenError.INVALID_ARGUMENT, 'token');
    if (!k) throw new Reject(RenewTokenError.INVALID_ARGUMENT, 'token: must be a non-empty string');
    return { t: 'renew', i, k };
  },
  psend(f, i) {
    if (!isValidId(f.to))
      throw new Reject(PeerMessageError.INVALID_USERID, `peerId: must be ${ID_RULE}`);
    const m = wireMessage(f.m, PeerMessageError.INVALID_MESSAGE);
    if (f.off !== undefined && typeof f.off !== 'boolean')
      throw new Reject(
        PeerMessageError.INVALID_MESSAGE,
        'options.enableOfflineMessaging: must be a boolean',
      );
    if (f.h !== undefined && typeof f.h !== 'boolean')
      throw new Reject(
        PeerMessageError.INVALID_MESSAGE,
        'options.enableHistoricalMessaging: must be a boolean',
      );
    const frame: PeerSendReq = { t: 'psend', i, to: f.to, m, off: f.off === true };
    if (f.h === true) frame.h = true;
    return frame;
  },
  pquery(f, i) {
    const c = QueryPeersOnlineStatusError.INVALID_ARGUMENT;
    const frame: PresenceQueryReq = {
      t: 'pquery',
      i,
      ids: idList(f.ids, 'peerIds', Limits.maxQueryPeers, c),
    };
    if (signalingFlag(f.sig, c)) frame.sig = true;
    return frame;
  },
  psub(f, i) {
    const c = PeerSubscriptionStatusError.INVALID_ARGUMENT;
    const ids = idList(
      f.ids,
      'peerIds',
      Limits.maxSubscriptions,
      c,
      PeerSubscriptionStatusError.OVERFLOW,
    );
    return { t: 'psub', i, ids };
  },
  punsub(f, i) {
    const c = PeerSubscriptionStatusError.INVALID_ARGUMENT;
    return { t: 'punsub', i, ids: idList(f.ids, 'peerIds', Limits.maxSubscriptions, c) };
  },
  plist(f, i) {
    if (f.o !== 'ONLINE_STATUS')
      throw new Reject(
        QueryPeersBySubscriptionOptionError.FAILURE,
        "option: must be 'ONLINE_STATUS'",
      );
    return { t: 'plist', i, o: 'ONLINE_STATUS' };
  },
};

const validators: Record<string, Validator> = {
  ...coreValidators,
  ...channelValidators,
  ...metadataValidators,
  ...telephonyValidators,
  ...invitationValidators,
};

export function parseClientFrame(data: string): Parsed {
  const f = decodeFrame(data);
  if (!f) return { kind: 'malformed', reason: 'not a JSON object with a string "t"' };
  if (f.t === 'ping') return { kind: 'frame', frame: { t: 'ping' } };
  if (f.t === 'ack') {
    if (!Number.isSafeInteger(f.s) || (f.s as number) < 0)
      return { kind: 'malformed', reason: 'ack.s must be a non-negative integer' };
    return { kind: 'frame', frame: { t: 'ack', s: f.s as number } };
  }
  const validate = validators[f.t];
  if (!validate || !Object.hasOwn(validators, f.t))
    return { kind: 'malformed', reason: `unknown frame type ${JSON.stringify(f.t.slice(0, 32))}` };
  if (!Number.isSafeInteger(f.i) || (f.i as number) < 0)
    return { kind: 'malformed', reason: `${f.t}.i must be a non-negative integer` };
  const id = f.i as number;
  try {
    return { kind: 'frame', frame: validate(f, id) };
  } catch (e) {
    if (e instanceof Reject)
      return { kind: 'reject', id, op: f.t, code: e.code, message: e.message };
    throw e;
  }
}

/**
 * Validation of every inbound client frame, at the edge, before any service sees it.
 *
 * `parseClientFrame` answers one of three things:
 * - `frame`: a well-formed frame, rebuilt with only its known fields (services trust it);
 * - `reject`: a well-formed request whose fields break a rule; reply `err` with `code`;
 * - `malformed`: not a protocol frame at all; close the socket with `reason`.
 */
import { base64DecodedLength, decodeFrame, utf8Length, type RawFrame } from './codec.js';
import {
  LoginError,
  PeerMessageError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  RenewTokenError,
} from './errors.js';
import type { ClientFrame, WireMessage } from './frames.js';
import { ID_RULE, isValidAppId, isValidId } from './ids.js';
import { Limits } from './limits.js';

export type Parsed =
  | { kind: 'frame'; frame: ClientFrame }
  | { kind: 'reject'; id: number; op: string; code: number; message: string }
  | { kind: 'malformed'; reason: string };

class Reject {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

type Validator = (f: RawFrame, id: number) => ClientFrame;

const B64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function token(value: unknown, code: number, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Reject(code, `${field}: must be a string`);
  if (value.length > Limits.maxTokenBytes)
    throw new Reject(code, `${field}: ${value.length} bytes; the limit is ${Limits.maxTokenBytes}`);
  return value;
}

function idList(
  value: unknown,
  field: string,
  max: number,
  code: number,
  maxCode = code,
): string[] {
  if (!Array.isArray(value)) throw new Reject(code, `${field}: must be an array of user ids`);
  if (value.length === 0) throw new Reject(code, `${field}: must not be empty`);
  if (value.length > max)
    throw new Reject(maxCode, `${field}: ${value.length} ids; the limit is ${max} per call`);
  const out: string[] = [];
  for (const id of value) {
    if (!isValidId(id)) throw new Reject(code, `${field}: ${JSON.stringify(id)} is not ${ID_RULE}`);
    out.push(id);
  }
  return out;
}

/** Validates a message body against the 32 KB limit; shared by peer and channel messages. */
export function wireMessage(value: unknown, code: number): WireMessage {
  if (typeof value !== 'object' || value === null)
    throw new Reject(code, 'message: must be a text or raw message');
  const m = value as { k?: unknown; x?: unknown; b?: unknown; d?: unknown };
  if (m.k === 'T') {
    if (typeof m.x !== 'string') throw new Reject(code, 'message.text: must be a string');
    const bytes = utf8Length(m.x);
    if (bytes > Limits.maxMessageBytes)
      throw new Reject(
        code,
        `message.text: ${bytes} bytes; the limit is ${Limits.maxMessageBytes} bytes`,
      );
    return { k: 'T', x: m.x };
  }
  if (m.k === 'R') {
    if (typeof m.b !== 'string' || m.b.length % 4 !== 0 || !B64_TEXT.test(m.b))
      throw new Reject(code, 'message.rawMessage: must be base64 bytes');
    if (m.d !== undefined && typeof m.d !== 'string')
      throw new Reject(code, 'message.description: must be a string');
    const bytes = base64DecodedLength(m.b) + (m.d ? utf8Length(m.d) : 0);
    if (bytes > Limits.maxMessageBytes)
      throw new Reject(
        code,
        `message: rawMessage + description are ${bytes} bytes; the limit is ${Limits.maxMessageBytes} bytes`,
      );
    return m.d ? { k: 'R', b: m.b, d: m.d } : { k: 'R', b: m.b };
  }
  throw new Reject(code, "message.messageType: must be 'TEXT' or 'RAW'");
}

const validators: Record<string, Validator> = {
  login(f, i) {
    const code = LoginError.INVALID_ARGUMENT;
    if (!isValidAppId(f.a))
      throw new Reject(
        LoginError.INVALID_APP_ID,
        'appId: must be 1-64 characters of A-Z a-z 0-9 _ . -',
      );
    if (!isValidId(f.u)) throw new Reject(code, `uid: must be ${ID_RULE}`);
    const k = token(f.k, code, 'token');
    let r: { sid: string; s: number } | undefined;
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
    return { t: 'psend', i, to: f.to, m, off: f.off === true };
  },
  pquery(f, i) {
    const c = QueryPeersOnlineStatusError.INVALID_ARGUMENT;
    return { t: 'pquery', i, ids: idList(f.ids, 'peerIds', Limits.maxQueryPeers, c) };
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

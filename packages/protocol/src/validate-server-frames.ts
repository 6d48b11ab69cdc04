/**
 * Validation of every inbound server frame, at the client's edge. The server is trusted, but a
 * frame of the wrong shape (a bug, a proxy, another protocol on the port) must be dropped, not
 * crash the client or reach an app with a field missing.
 *
 * `parseServerFrame` answers the frame as a ServerFrame when every field a client reads has its
 * type, and `undefined` otherwise. It checks in place and allocates nothing beyond the decode:
 * it runs for every push a client receives.
 */
import { decodeFrame, type RawFrame } from './codec.js';
import type { LoginResult, ServerFrame } from './frames.js';

type Check = (v: unknown) => boolean;
type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num: Check = (v) => typeof v === 'number';
const str: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const optional =
  (c: Check): Check =>
  (v) =>
    v === undefined || c(v);
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    values.includes(v as string);
const arrayOf =
  (c: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(c);
const recordOf =
  (c: Check): Check =>
  (v) =>
    isObject(v) && Object.values(v).every(c);
const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v) => {
    if (!isObject(v)) return false;
    for (const k in fields) if (!fields[k]!(v[k])) return false;
    return true;
  };

const wireMessage: Check = (v) =>
  isObject(v) && (v.k === 'T' ? str(v.x) : v.k === 'R' && str(v.b) && optional(str)(v.d));
const wireMetadata = shape({
  items: arrayOf(shape({ k: str, v: str, r: num, ts: num, a: str })),
  mr: num,
});
const channelAttribute = shape({ value: str, lastUpdateUserId: str, lastUpdateTs: num });
const peerState = oneOf('ONLINE', 'UNREACHABLE', 'OFFLINE');

/** The fields of each invitation event (`e`) beyond those every event has. */
const LOCAL_EVENTS: Readonly<Record<string, Check>> = {
  ReceivedByPeer: () => true,
  Canceled: () => true,
  Accepted: shape({ r: str }),
  Refused: shape({ r: str }),
  Failure: shape({ why: str }),
};
const REMOTE_EVENTS: Readonly<Record<string, Check>> = {
  Received: shape({ ch: str, c: str }),
  Canceled: shape({ c: str }),
  Accepted: () => true,
  Failure: shape({ why: str }),
};
const event =
  (common: Check, events: Readonly<Record<string, Check>>): Check =>
  (f) =>
    common(f) &&
    Object.hasOwn(events, (f as Fields).e as string) &&
    events[(f as Fields).e as string]!(f);

/** The check of every server frame type; `satisfies` makes a type without a check a compile error. */
const FRAMES = {
  ok: shape({ i: num }),
  err: shape({ i: num, c: num, m: str }),
  pong: shape({ ts: num }),
  exp: shape({ exp: num }),
  kick: shape({ why: oneOf('REMOTE_LOGIN', 'BANNED_BY_SERVER', 'TOKEN_EXPIRED') }),
  bye: () => true,
  msg: shape({ s: num, mid: str, f: str, m: wireMessage, ts: num, off: optional(num) }),
  pst: shape({ s: num, st: recordOf(peerState) }),
  umeta: shape({ s: num, u: str, d: wireMetadata }),
  linv: event(shape({ s: num, id: str }), LOCAL_EVENTS),
  rinv: event(shape({ s: num, f: str, id: str }), REMOTE_EVENTS),
  cmsg: shape({ c: str, cs: num, f: str, m: wireMessage, ts: num }),
  mjoin: shape({ c: str, cs: num, u: str }),
  mleft: shape({ c: str, cs: num, u: str }),
  cattrs: shape({ c: str, cs: num, attrs: recordOf(channelAttribute) }),
  cmeta: shape({ c: str, cs: num, d: wireMetadata }),
  ccount: shape({ c: str, n: num }),
} satisfies Record<ServerFrame['t'], Check>;

/** Decodes and checks one server frame; `undefined` for anything that is not one. */
export function parseServerFrame(text: string): ServerFrame | undefined {
  const f: RawFrame | undefined = decodeFrame(text);
  if (!f || !Object.hasOwn(FRAMES, f.t)) return undefined;
  return FRAMES[f.t as ServerFrame['t']](f) ? (f as unknown as ServerFrame) : undefined;
}

/** Whether the `r` of a login's `ok` reply is a LoginResult. */
export const isLoginResult = shape({
  sid: str,
  resumed: bool,
  ts: num,
  exp: num,
  hb: num,
  cs: optional(recordOf(num)),
  inv: optional(shape({ out: arrayOf(str), in: arrayOf(shape({ f: str, id: str })) })),
}) as (r: unknown) => r is LoginResult;

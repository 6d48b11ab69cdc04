/**
 * `session.invoke('io.agora.signal.<function>', req, cb)`: the server functions Signaling apps
 * called by name (research §2.4), each mapped onto RTM calls. A response is
 * `{result: 'ok', …}`, or `{result: 'failed', reason, ecode}` with `err` = the reason.
 */
import type { ParleyExtensions, RtmClient } from '@parley/sdk';
import { signalUid } from './callbacks.js';
import { SignalingCode } from './codes.js';
import {
  clearChannelAttr,
  delChannelAttr,
  getUserAttr,
  getUserAttrAll,
  queryOnline,
  setChannelAttr,
  setUserAttr,
} from './operations.js';

export const INVOKE_PREFIX = 'io.agora.signal.';

export type InvokeResponse =
  | ({ result: 'ok' } & Record<string, unknown>)
  | { result: 'failed'; reason: string; ecode: number };

/** What invoke functions need from the session. */
export interface InvokeContext {
  readonly client: RtmClient;
  readonly ext: ParleyExtensions;
  /** Member count of any channel. */
  memberCount(channel: string): Promise<number>;
  /** Members (at most 512) of the channel this session is in; fails for any other. */
  members(channel: string): Promise<string[]>;
}

/** A bad request argument: answered `failed` with GENERAL_E_WRONG_PARAM. */
class WrongParam extends Error {}

function str(req: Record<string, unknown>, field: string): string {
  const v = req[field];
  if (typeof v !== 'string' || v === '')
    throw new WrongParam(`${field}: must be a non-empty string`);
  return v;
}

function userList(members: string[], max: number): Record<string, unknown> {
  const list = members.slice(0, max).map((a): [string, number] => [a, signalUid(a)]);
  return { num: list.length, list };
}

type Fn = (c: InvokeContext, req: Record<string, unknown>) => Promise<Record<string, unknown>>;

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  async user_query_user_status(c, r) {
    return { status: (await queryOnline(c.ext, str(r, 'account'))) ? 1 : 0 };
  },
  async user_set_attr(c, r) {
    await setUserAttr(c.client, str(r, 'name'), r.value);
    return {};
  },
  async user_get_attr(c, r) {
    return { value: await getUserAttr(c.client, str(r, 'account'), str(r, 'name')) };
  },
  async user_get_attr_all(c, r) {
    return { json: JSON.stringify(await getUserAttrAll(c.client, str(r, 'account'))) };
  },
  async channel_query_num(c, r) {
    return { num: await c.memberCount(str(r, 'name')) };
  },
  async channel_query_user_isin(c, r) {
    const account = str(r, 'account');
    return { isin: (await c.members(str(r, 'name'))).includes(account) ? 1 : 0 };
  },
  async channel_query_userlist(c, r) {
    return userList(await c.members(str(r, 'name')), Infinity);
  },
  /** Deprecated in Signaling; answered like channel_query_userlist, at most `num` users. */
  async channel_query_userlist_all(c, r) {
    const num = r.num === undefined ? Infinity : Number(r.num);
    if (!(num >= 0)) throw new WrongParam('num: must be a non-negative number');
    return userList(await c.members(str(r, 'name')), num);
  },
  async channel_set_attr(c, r) {
    await setChannelAttr(c.client, str(r, 'channel'), str(r, 'name'), r.value);
    return {};
  },
  async channel_del_attr(c, r) {
    await delChannelAttr(c.client, str(r, 'channel'), str(r, 'name'));
    return {};
  },
  async channel_clear_attr(c, r) {
    await clearChannelAttr(c.client, str(r, 'channel'));
    return {};
  },
};

/** The function names `invoke` answers (without the `io.agora.signal.` prefix). */
export const INVOKE_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** Runs one function; never rejects. */
export async function runInvoke(
  c: InvokeContext,
  name: string,
  req: unknown,
): Promise<InvokeResponse> {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn)
    return failed(SignalingCode.GENERAL_E_WRONG_PARAM, `${INVOKE_PREFIX}${name}: no such function`);
  let args: unknown = req ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return failed(SignalingCode.GENERAL_E_WRONG_PARAM, 'req: not JSON');
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return failed(SignalingCode.GENERAL_E_WRONG_PARAM, 'req: must be an object (or its JSON)');
  try {
    return { result: 'ok', ...(await fn(c, args as Record<string, unknown>)) };
  } catch (e) {
    const reason = `${name}: ${e instanceof Error ? e.message : String(e)}`;
    return failed(
      e instanceof WrongParam
        ? SignalingCode.GENERAL_E_WRONG_PARAM
        : SignalingCode.GENERAL_E_FAILED,
      reason,
    );
  }
}

function failed(ecode: number, reason: string): InvokeResponse {
  return { result: 'failed', reason, ecode };
}

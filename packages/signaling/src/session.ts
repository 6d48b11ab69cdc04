/**
 * Session: one login of a Signaling account, on its own RtmClient. `signal.login()` answers it
 * at once; the login runs in the background and ends in `onLoginSuccess(uid)` or
 * `onLoginFailed(ecode)`. Callbacks are properties the app assigns. The Web SDK's methods are
 * here, and the C++ SDK's session methods (`queryUserStatus`, `setAttr`, `channelQueryUserNum`,
 * `messageChannelSendForce`, …) with their callbacks.
 */
import AgoraRTM, {
  END_CALL_PREFIX,
  parleyExtensions,
  type ParleyExtensions,
  type RtmClient,
  type RtmConfig,
  type RtmMessage,
} from '@parley/sdk';
import { systemClock } from '@parley/protocol';
import { callBack, fire, signalUid, toText } from './callbacks.js';
import { Call, Calls, INVITE_MESSAGE_PREFIX, telephonyCode } from './calls.js';
import { Channel, type ResultCallback } from './channel.js';
import {
  describe,
  generalCode,
  loginFailureCode,
  queryNumFailureCode,
  sendFailureCode,
  SignalingCode,
} from './codes.js';
import { Core } from './core.js';
import { INVOKE_PREFIX, runInvoke, type InvokeContext, type InvokeResponse } from './invoke.js';
import { SessionLifecycle } from './lifecycle.js';
import {
  clearChannelAttr,
  delChannelAttr,
  getUserAttr,
  getUserAttrAll,
  queryOnline,
  setChannelAttr,
  setUserAttr,
} from './operations.js';

/** `getStatus()`: 0 not logged in, 1 logging in, 2 logged in, 3 reconnecting. */
export type SignalStatus = 0 | 1 | 2 | 3;

export type InvokeCallback = (err: string, resp: InvokeResponse) => void;

const C = SignalingCode;

/** The session's callbacks (for `signal.callbackSet`). */
export type SessionCallbacks = {
  [K in keyof Session as K extends `on${string}` ? K : never]?: Session[K];
};

export interface SessionOptions {
  appId: string;
  /** The RTM client's config; its `clock` also drives the session's own timers. */
  config: RtmConfig;
  /** 0 = no reconnect: a lost connection logs out at once. */
  reconnectCount: number;
  /** Give up (onLogout(LOGOUT_E_NET)) after reconnecting this long, in seconds. */
  reconnectTimeS: number;
  /** The Signal object's log (`setDoLog`). */
  log?: (level: 'INFO' | 'WARNING', text: string) => void;
}

export class Session {
  readonly account: string;
  /** The account's legacy uid (stable per account). */
  readonly uid: number;

  onLoginSuccess?: (uid: number) => void;
  /** LOGIN_E_* (201 network, 204 token expired, 206 token wrong, 209 invalid account, …). */
  onLoginFailed?: (ecode: number) => void;
  /** LOGOUT_E_* (101 logout(), 102 network lost, 103 logged in elsewhere or banned, 105 token expired, 108 already out). */
  onLogout?: (ecode: number) => void;
  onReconnecting?: (nretry: number) => void;
  onReconnected?: (fd: number) => void;
  onMessageInstantReceive?: (account: string, uid: number, msg: string) => void;
  onMessageSendSuccess?: (messageID: string) => void;
  onMessageSendError?: (messageID: string, ecode: number) => void;
  onInviteReceived?: (call: Call) => void;
  onInvokeRet?: (callID: string, err: string, resp: InvokeResponse) => void;
  onQueryUserStatusResult?: (name: string, status: '0' | '1') => void;
  onChannelQueryUserNumResult?: (channelID: string, ecode: number, num: number) => void;
  onChannelQueryUserIsIn?: (channelID: string, account: string, isIn: 0 | 1) => void;
  onUserAttrResult?: (account: string, name: string, value: string) => void;
  onUserAttrAllResult?: (account: string, value: string) => void;
  /** A call failed that has no callback of its own: GENERAL_E_* (or the failed API's) code. */
  onError?: (name: string, ecode: number, desc: string) => void;

  readonly #client: RtmClient | undefined;
  readonly #ext: ParleyExtensions | undefined;
  readonly #life: SessionLifecycle;
  readonly #core: Core;
  readonly #calls: Calls;
  #channel: Channel | undefined;
  /** Queries sent and not answered yet: `onLogout` comes after their answers. */
  readonly #queries = new Set<Promise<unknown>>();

  /** @internal `signal.login()` makes sessions. */
  constructor(account: string, token: string, options: SessionOptions) {
    this.account = String(account);
    this.uid = signalUid(this.account);
    const clock = options.config.clock ?? systemClock;
    let client: RtmClient | undefined;
    let failure: unknown;
    try {
      client = AgoraRTM.createInstance(options.appId, options.config);
    } catch (e) {
      failure = e;
    }
    this.#client = client;
    const ext = client && parleyExtensions(client);
    this.#ext = ext;
    this.#life = new SessionLifecycle(this, options, clock, (leaveCode, wasLoggingIn) => {
      const channel = this.#channel;
      this.#channel = undefined;
      if (!wasLoggingIn) channel?.detach(leaveCode);
      this.#calls.close();
      return Promise.allSettled([...this.#queries]);
    });
    this.#core = new Core(this, client, ext, clock, () => this.#life.online);
    this.#calls = new Calls(this.#core, (call) => fire(this as Session, 'onInviteReceived', call));
    if (!client || !ext || /\s/.test(this.account) || this.account === '') {
      this.#life.refuse(client ? C.LOGIN_E_INVALID_USER : loginFailureCode(failure));
      return;
    }
    const afterLogin = (run: () => void) => this.#life.afterLogin(run);
    client.on('MessageFromPeer', (m, peer) => afterLogin(() => this.#peerMessage(m, peer)));
    client.on('RemoteInvitationReceived', (ri) => afterLogin(() => this.#calls.incoming(ri)));
    this.#life.start(client, ext, token);
  }

  getStatus(): SignalStatus {
    return this.#life.status;
  }

  /** Logs out: `onLogout(101)` (108 when already logged out); the channel fires `onChannelLeaved(603)`. */
  logout(): void {
    this.#life.logout(this.#client);
  }

  /**
   * A peer message. Web: `(peer, msg, cb)` with `cb(failed, ecode)`; C++: `(account, uid, msg,
   * msgID)`. Either way `onMessageSendSuccess(msgID)` / `onMessageSendError(msgID, ecode)` fire.
   * Success means the server has it: a message to an offline account is kept for its next login.
   */
  messageInstantSend(peer: string, msg: unknown, cb?: ResultCallback): void;
  messageInstantSend(account: string, uid: number, msg: string, msgID?: string): void;
  messageInstantSend(peer: string, a: unknown, b?: unknown, c?: unknown): void {
    const cxx = typeof a === 'number' && typeof b === 'string';
    const msg = cxx ? b : a;
    const cb = cxx ? undefined : b;
    const msgID = this.#core.messageId(cxx ? c : undefined);
    const fail = (e: unknown) => {
      callBack(cb, 'messageInstantSend', true, sendFailureCode(e));
      this.#core.sendResult(msgID, e);
    };
    const client = this.#client;
    if (!client || !this.#core.online) {
      const e = new Error('messageInstantSend: not logged in');
      queueMicrotask(() => fail(e));
      return;
    }
    client
      .sendMessageToPeer({ text: toText(msg) }, String(peer), { enableOfflineMessaging: true })
      .then(() => {
        callBack(cb, 'messageInstantSend', false, C.SUCCESS);
        this.#core.sendResult(msgID);
      }, fail);
  }

  /**
   * Joins `name`, leaving the channel the session was in (one channel at a time). Answers
   * undefined when not logged in, as the Web SDK did; the same Channel when already in it.
   */
  channelJoin(name: string): Channel | undefined {
    if (!this.#core.online) return undefined;
    const current = this.#current();
    if (current && current.name === name) {
      if (current.state === 'joined') queueMicrotask(() => fire(current, 'onChannelJoined'));
      return current;
    }
    const channel = new Channel(this.#core, String(name));
    this.#channel = channel;
    // Asynchronous, so the app sets the callbacks on the returned channel first.
    queueMicrotask(() => void channel.join(current));
    return channel;
  }

  /** C++: leaves `channelID` if it is the session's channel (`onChannelLeaved(0)` on it). */
  channelLeave(channelID: string): void {
    const current = this.#current();
    if (current && current.name === channelID) current.channelLeave();
  }

  /** C++: a message to the session's channel; `onMessageSendSuccess` / `onMessageSendError`. */
  messageChannelSend(channelID: string, msg: string, msgID = ''): void {
    const id = this.#core.messageId(msgID);
    const current = this.#current();
    if (current && current.name === channelID) return current.send(msg, id);
    const e = new Error(`messageChannelSend: not in channel "${channelID}"`);
    queueMicrotask(() => this.#core.sendResult(id, e));
  }

  /** C++: a message to any channel, without joining it (members get `onMessageChannelReceive`). */
  messageChannelSendForce(channelID: string, msg: string, msgID = ''): void {
    const id = this.#core.messageId(msgID);
    const ext = this.#ext;
    if (!ext || !this.#core.online) {
      const e = new Error('messageChannelSendForce: not logged in');
      queueMicrotask(() => this.#core.sendResult(id, e));
      return;
    }
    ext.sendChannelMessageWithoutJoining(String(channelID), { text: toText(msg) }).then(
      () => this.#core.sendResult(id),
      (e: unknown) => this.#core.sendResult(id, e),
    );
  }

  /** C++: attributes of any channel; members get `onChannelAttrUpdated`; failures `onError`. */
  channelSetAttr(channelID: string, name: string, value: string): void {
    this.#op('channelSetAttr', (c) => setChannelAttr(c, channelID, name, value));
  }

  channelDelAttr(channelID: string, name: string): void {
    this.#op('channelDelAttr', (c) => delChannelAttr(c, channelID, name));
  }

  channelClearAttr(channelID: string): void {
    this.#op('channelClearAttr', (c) => clearChannelAttr(c, channelID));
  }

  /** C++: `onChannelQueryUserNumResult(channelID, ecode, num)` for any channel. */
  channelQueryUserNum(channelID: string): void {
    const report = (ecode: number, num: number) =>
      fire(this as Session, 'onChannelQueryUserNumResult', channelID, ecode, num);
    if (!this.#ext || !this.#core.online) {
      queueMicrotask(() => report(C.QUERYUSERNUM_E_OTHER, 0));
      return;
    }
    this.#query(
      this.#memberCount(String(channelID)).then(
        (n) => report(C.SUCCESS, n),
        (e: unknown) => report(queryNumFailureCode(e), 0),
      ),
    );
  }

  /** C++: `onChannelQueryUserIsIn(channelID, account, 0|1)`, for the session's channel. */
  channelQueryUserIsIn(channelID: string, account: string): void {
    this.#op('channelQueryUserIsIn', async () => {
      const isIn = (await this.#members(channelID)).includes(account) ? 1 : 0;
      fire(this as Session, 'onChannelQueryUserIsIn', channelID, account, isIn);
    });
  }

  /** C++: `onQueryUserStatusResult(account, '1' | '0')`. */
  queryUserStatus(account: string): void {
    this.#op('queryUserStatus', async () => {
      const online = await queryOnline(this.#ext!, account);
      fire(this as Session, 'onQueryUserStatusResult', account, online ? '1' : '0');
    });
  }

  /** C++: sets one of the session's attributes (an empty value deletes it). */
  setAttr(name: string, value: string): void {
    this.#op('setAttr', (c) => setUserAttr(c, name, value));
  }

  /** C++: `onUserAttrResult(account, name, value)` for the session's own attribute. */
  getAttr(name: string): void {
    this.getUserAttr(this.account, name);
  }

  /** C++: `onUserAttrAllResult(account, json)` for the session's own attributes. */
  getAttrAll(): void {
    this.getUserAttrAll(this.account);
  }

  /** C++: `onUserAttrResult(account, name, value)`; '' when unset or the user is offline. */
  getUserAttr(account: string, name: string): void {
    this.#op('getUserAttr', async (c) => {
      const value = await getUserAttr(c, account, name);
      fire(this as Session, 'onUserAttrResult', account, name, value);
    });
  }

  /** C++: `onUserAttrAllResult(account, json)`; `{}` when the user is offline. */
  getUserAttrAll(account: string): void {
    this.#op('getUserAttrAll', async (c) => {
      const attrs = await getUserAttrAll(c, account);
      fire(this as Session, 'onUserAttrAllResult', account, JSON.stringify(attrs));
    });
  }

  /**
   * Calls `io.agora.signal.<function>` (others are ignored, as in the Web SDK). Web:
   * `invoke(func, req, cb)` → `cb(err, resp)`; C++: `invoke(func, req, callID)` →
   * `onInvokeRet(callID, err, resp)`. `err` is '' on success.
   */
  invoke(func: string, req?: object | string, cb?: InvokeCallback | string): void {
    if (typeof func !== 'string' || !func.startsWith(INVOKE_PREFIX)) return;
    const ctx: InvokeContext | undefined = this.#client &&
      this.#ext && {
        client: this.#client,
        ext: this.#ext,
        memberCount: (channel) => this.#memberCount(channel),
        members: (channel) => this.#members(channel),
      };
    const answer = (resp: InvokeResponse) => {
      const err = resp.result === 'ok' ? '' : resp.reason;
      if (typeof cb === 'function') callBack(cb, 'invoke', err, resp);
      else fire(this as Session, 'onInvokeRet', cb === undefined ? '' : String(cb), err, resp);
    };
    if (!ctx || !this.#core.online) {
      const resp: InvokeResponse = {
        result: 'failed',
        reason: `${func}: not logged in`,
        ecode: C.GENERAL_E_NOT_LOGIN,
      };
      queueMicrotask(() => answer(resp));
      return;
    }
    this.#query(runInvoke(ctx, func.slice(INVOKE_PREFIX.length), req).then(answer));
  }

  /** Web and C++: calls `peer` about `channelID`; `extra` is JSON (`_require_peer_online`, `_timeout`, …). */
  channelInviteUser2(channelID: string, peer: string, extra = ''): Call {
    return this.#calls.invite(
      String(channelID),
      String(peer),
      typeof extra === 'string' ? extra : toText(extra),
    );
  }

  /** C++: `channelInviteUser2` without an extra. */
  channelInviteUser(channelID: string, account: string, _uid = 0): Call {
    return this.channelInviteUser2(channelID, account);
  }

  /** C++: calls a phone number through the telephony gateway (`account` is the caller number). */
  channelInvitePhone(channelID: string, phoneNum: string, _uid = 0): Call {
    return this.#calls.invitePhone(String(channelID), String(phoneNum), '', '');
  }

  channelInvitePhone2(channelID: string, phoneNum: string, sourcesNum: string): Call {
    return this.#calls.invitePhone(String(channelID), String(phoneNum), String(sourcesNum), '');
  }

  channelInvitePhone3(channelID: string, phoneNum: string, sourcesNum: string, extra = ''): Call {
    return this.#calls.invitePhone(String(channelID), String(phoneNum), String(sourcesNum), extra);
  }

  /** C++: accepts the incoming call of (channelID, account). */
  channelInviteAccept(channelID: string, account: string, _uid = 0, extra = ''): void {
    this.#call('channelInviteAccept', channelID, account)?.channelInviteAccept(extra);
  }

  channelInviteRefuse(channelID: string, account: string, _uid = 0, extra = ''): void {
    this.#call('channelInviteRefuse', channelID, account)?.channelInviteRefuse(extra);
  }

  channelInviteEnd(channelID: string, account: string, _uid = 0, extra = ''): void {
    this.#call('channelInviteEnd', channelID, account)?.channelInviteEnd(extra);
  }

  /** C++: DTMF to the phone called about `channelID` (through the telephony gateway). */
  channelInviteDTMF(channelID: string, phoneNum: string, dtmf: string): void {
    const call = this.#calls.find(channelID, phoneNum);
    if (call) return call.channelInviteDTMF(dtmf);
    this.#core
      .telephony({
        t: 'tel.dtmf',
        c: String(channelID),
        phone: String(phoneNum),
        dtmf: String(dtmf),
      })
      .catch((e: unknown) => this.#core.error('channelInviteDTMF', telephonyCode(e), describe(e)));
  }

  /** Obsolete in Signaling: whether the session is logged in. */
  isOnline(): boolean {
    return this.#life.status === 2;
  }

  #peerMessage(m: RtmMessage, peer: string): void {
    // Signaling carried text only; RTM's raw (file, image) messages never reached it.
    if (m.messageType === 'RAW' || typeof m.text !== 'string') return;
    const text = m.text;
    if (text.startsWith(END_CALL_PREFIX + '_')) return this.#calls.endCallMessage(peer, text);
    if (text.startsWith(INVITE_MESSAGE_PREFIX)) return this.#calls.inviteMessage(peer, text);
    fire(this as Session, 'onMessageInstantReceive', peer, signalUid(peer), text);
  }

  #current(): Channel | undefined {
    const c = this.#channel;
    return c && c.state !== 'leaved' ? c : undefined;
  }

  /** Keeps `p` (which never rejects) until it settles. */
  #query(p: Promise<void>): void {
    this.#queries.add(p);
    void p.finally(() => this.#queries.delete(p));
  }

  /** Sent at once, as Signaling did (not on RTM's one getChannelMemberCount call a second). */
  async #memberCount(channel: string): Promise<number> {
    const counts = await this.#ext!.signalingMemberCount([channel]);
    return counts[channel] ?? 0;
  }

  #members(channel: string): Promise<string[]> {
    const current = this.#current();
    if (current && current.name === channel) return current.members();
    return Promise.reject(
      new Error(`channel "${channel}": only the channel this session has joined can be listed`),
    );
  }

  #call(what: string, channelID: string, account: string): Call | undefined {
    const call = this.#calls.find(channelID, account);
    if (!call)
      this.#core.error(
        what,
        C.GENERAL_E_WRONG_PARAM,
        `${what}: no call with "${account}" about "${channelID}"`,
      );
    return call;
  }

  /** Runs an operation with no callback of its own; a failure fires `onError(what, ecode, desc)`. */
  #op(what: string, run: (client: RtmClient) => Promise<void>): void {
    const client = this.#client;
    if (!client || !this.#core.online) {
      queueMicrotask(() => this.#core.error(what, C.GENERAL_E_NOT_LOGIN, `${what}: not logged in`));
      return;
    }
    this.#query(
      run(client).catch((e: unknown) => this.#core.error(what, generalCode(e), describe(e))),
    );
  }
}

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
  type ConnectionChangeReason,
  type ConnectionState,
  type ParleyExtensions,
  type RtmClient,
  type RtmConfig,
  type RtmMessage,
} from '@parley/sdk';
import { TelephonyError, type TelephonyRequestBody } from '@parley/protocol';
import { callBack, fire, signalUid, toText, unref } from './callbacks.js';
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
import type { SessionCore } from './core.js';
import { INVOKE_PREFIX, runInvoke, type InvokeContext, type InvokeResponse } from './invoke.js';
import { MemberCounts } from './member-counts.js';
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

  #status: SignalStatus = 1;
  readonly #client: RtmClient | undefined;
  readonly #ext: ParleyExtensions | undefined;
  readonly #core: SessionCore;
  readonly #calls: Calls;
  readonly #counts: MemberCounts | undefined;
  readonly #options: SessionOptions;
  #channel: Channel | undefined;
  #reconnects = 0;
  #giveUp: ReturnType<typeof setTimeout> | undefined;
  #msgSeq = 0;
  #toldAlreadyOut = false;
  /** What arrived (stored messages, invitations) before onLoginSuccess; it follows it. */
  #held: (() => void)[] = [];

  /** @internal `signal.login()` makes sessions. */
  constructor(account: string, token: string, options: SessionOptions) {
    this.account = String(account);
    this.uid = signalUid(this.account);
    this.#options = options;
    let client: RtmClient | undefined;
    let failure: unknown;
    try {
      client = AgoraRTM.createInstance(options.appId, options.config);
    } catch (e) {
      failure = e;
    }
    this.#client = client;
    this.#ext = client && parleyExtensions(client);
    this.#counts = client && new MemberCounts(client);
    this.#core = this.#makeCore();
    this.#calls = new Calls(this.#core, (call) => fire(this as Session, 'onInviteReceived', call));
    if (!client || /\s/.test(this.account) || this.account === '') {
      this.#status = 0;
      const code = client ? C.LOGIN_E_INVALID_USER : loginFailureCode(failure);
      queueMicrotask(() => fire(this as Session, 'onLoginFailed', code));
      return;
    }
    client.on('ConnectionStateChanged', (s, r) => this.#stateChanged(s, r));
    client.on('MessageFromPeer', (m, peer) => this.#afterLogin(() => this.#peerMessage(m, peer)));
    client.on('RemoteInvitationReceived', (ri) => this.#afterLogin(() => this.#calls.incoming(ri)));
    this.#login(client, token);
  }

  getStatus(): SignalStatus {
    return this.#status;
  }

  /** Logs out: `onLogout(101)` (108 when already logged out); the channel fires `onChannelLeaved(603)`. */
  logout(): void {
    const status = this.#status;
    if (status === 0) {
      if (this.#toldAlreadyOut) return;
      this.#toldAlreadyOut = true;
      queueMicrotask(() => fire(this as Session, 'onLogout', C.LOGOUT_E_ALREADY_LOGOUT));
      return;
    }
    this.#end(C.LOGOUT_E_USER, C.LEAVECHANNEL_E_LOGOUT);
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
    const counts = this.#counts;
    const report = (ecode: number, num: number) =>
      fire(this as Session, 'onChannelQueryUserNumResult', channelID, ecode, num);
    if (!counts || !this.#core.online) {
      queueMicrotask(() => report(C.QUERYUSERNUM_E_OTHER, 0));
      return;
    }
    counts.count(String(channelID)).then(
      (n) => report(C.SUCCESS, n),
      (e: unknown) => report(queryNumFailureCode(e), 0),
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
    this.#op('queryUserStatus', async (c) => {
      const online = await queryOnline(c, account);
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
    const ctx: InvokeContext | undefined = this.#client && {
      client: this.#client,
      memberCount: (channel) => this.#counts!.count(channel),
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
    void runInvoke(ctx, func.slice(INVOKE_PREFIX.length), req).then(answer);
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
    return this.#status === 2;
  }

  #login(client: RtmClient, token: string): void {
    client.login({ uid: this.account, token: token || undefined }).then(
      async () => {
        if (this.#status !== 1) return;
        // Signaling echoed channel messages to their sender; a server option of the session.
        await this.#ext!.setChannelMessageEcho(true).catch(() => undefined);
        if (this.#status !== 1) return;
        this.#status = 2;
        this.#log('INFO', `${this.account}: logged in`);
        fire(this as Session, 'onLoginSuccess', this.uid);
        const held = this.#held;
        this.#held = [];
        for (const run of held) run();
      },
      (e: unknown) => {
        if (this.#status !== 1) return; // logout() while logging in: onLogout told the app
        this.#status = 0;
        this.#held = [];
        this.#log('WARNING', `${this.account}: login failed: ${describe(e)}`);
        fire(this as Session, 'onLoginFailed', loginFailureCode(e));
      },
    );
  }

  #stateChanged(state: ConnectionState, reason: ConnectionChangeReason): void {
    if (state === 'RECONNECTING' && this.#status === 2) {
      this.#status = 3;
      const { reconnectCount, reconnectTimeS } = this.#options;
      if (reconnectCount <= 0 || reconnectTimeS <= 0)
        return this.#end(C.LOGOUT_E_NET, C.LEAVECHANNEL_E_DISCONN);
      this.#giveUp = unref(
        setTimeout(
          () => this.#end(C.LOGOUT_E_NET, C.LEAVECHANNEL_E_DISCONN),
          reconnectTimeS * 1000,
        ),
      );
      this.#log('INFO', `${this.account}: connection lost, reconnecting`);
      fire(this as Session, 'onReconnecting', ++this.#reconnects);
    } else if (state === 'CONNECTED' && this.#status === 3) {
      this.#status = 2;
      clearTimeout(this.#giveUp);
      // The server may have started a new session: the echo option goes with it.
      this.#ext!.setChannelMessageEcho(true).catch(() => undefined);
      this.#log('INFO', `${this.account}: reconnected`);
      fire(this as Session, 'onReconnected', 0);
    } else if (state === 'ABORTED' && (this.#status === 2 || this.#status === 3)) {
      // Logged in elsewhere, or banned from the REST API: kicked either way.
      const code = reason === 'TOKEN_EXPIRED' ? C.LOGOUT_E_TOKENEXPIRED : C.LOGOUT_E_KICKED;
      this.#end(code, C.LEAVECHANNEL_E_LOGOUT);
    }
  }

  /** The session is over: channel and calls end, the client logs out, then `onLogout(code)`. */
  #end(code: number, leaveCode: number): void {
    const wasLoggingIn = this.#status === 1;
    this.#status = 0;
    this.#held = [];
    this.#toldAlreadyOut = false;
    clearTimeout(this.#giveUp);
    const channel = this.#channel;
    this.#channel = undefined;
    if (!wasLoggingIn) channel?.detach(leaveCode);
    this.#calls.close();
    this.#counts?.close(new Error('logged out'));
    this.#log(
      code === C.LOGOUT_E_USER ? 'INFO' : 'WARNING',
      `${this.account}: logged out (${code})`,
    );
    const done = () => fire(this as Session, 'onLogout', code);
    // Also resets an ABORTED client and stops a reconnecting one.
    this.#client!.logout().then(done, done);
  }

  #log(level: 'INFO' | 'WARNING', text: string): void {
    this.#options.log?.(level, text);
  }

  #afterLogin(run: () => void): void {
    if (this.#status === 1) this.#held.push(run);
    else if (this.#status !== 0) run();
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
    run(client).catch((e: unknown) => this.#core.error(what, generalCode(e), describe(e)));
  }

  #makeCore(): SessionCore {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const session: Session = this;
    return {
      get client() {
        return session.#client!;
      },
      get ext() {
        return session.#ext!;
      },
      account: this.account,
      get online() {
        return session.#status === 2 || session.#status === 3;
      },
      messageId(given?: unknown) {
        return typeof given === 'string' && given !== ''
          ? given
          : `${session.account}-${Date.now()}-${++session.#msgSeq}`;
      },
      sendResult(msgID: string, failure?: unknown) {
        if (failure === undefined) fire(session, 'onMessageSendSuccess', msgID);
        else fire(session, 'onMessageSendError', msgID, sendFailureCode(failure));
      },
      error(name: string, ecode: number, desc: string) {
        fire(session, 'onError', name, ecode, desc);
      },
      telephony(frame: TelephonyRequestBody) {
        return telephonyRequest(session.#ext, frame);
      },
    };
  }
}

/** The SDK's hook for telephony requests (`parleyExtensions(client).telephony`), if this build has it. */
type TelephonyHook = (frame: TelephonyRequestBody) => Promise<void>;

function telephonyRequest(
  ext: ParleyExtensions | undefined,
  frame: TelephonyRequestBody,
): Promise<void> {
  const hook = (ext as { telephony?: TelephonyHook } | undefined)?.telephony;
  if (typeof hook !== 'function')
    return Promise.reject(
      Object.assign(
        new Error(
          'telephony: this build of @parley/sdk cannot send telephony requests (parleyExtensions().telephony is missing)',
        ),
        { code: TelephonyError.OTHER },
      ),
    );
  return hook.call(ext, frame);
}

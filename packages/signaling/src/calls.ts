/**
 * Call invitations. A Signaling call is an RTM invitation, so Signaling and RTM clients call
 * each other: `channelName` ⇄ `channelId`, the caller's `extra` ⇄ `content`, the callee's
 * accept/refuse `extra` ⇄ `response`, and `channelInviteEnd(extra)` before an answer ⇄ cancel
 * (carrying `extra` as the content: RTM's `RemoteInvitationCanceled(content)`), or refuse on the
 * callee's side. After an accept RTM has no call left, so ending it sends the legacy end-call
 * text message (`<END_CALL_PREFIX>_<channelName>_<extra>`), which RTM apps receive as a peer
 * message and Signaling sessions as `onInviteEndByPeer(extra)`.
 *
 * Calls to phone numbers (`channelInvitePhone*`) and their DTMF go to the server's telephony
 * gateway. DTMF in a call with an account goes to that account as `onInviteMsg`. */
import { END_CALL_PREFIX, type LocalInvitation, type RemoteInvitation } from '@parley/sdk';
import { TelephonyError, type TelephonyRequestBody, type TimerHandle } from '@parley/protocol';
import { fire, signalUid, unref } from './callbacks.js';
import { describe, inviteFailureCode, SignalingCode } from './codes.js';
import type { SessionCore } from './core.js';

/**
 * Prefix of the peer text message that carries `onInviteMsg` (DTMF) between Signaling
 * sessions: `<prefix>{"channel": …, "extra": …}`. RTM has no such event; RTM apps see the text.
 */
export const INVITE_MESSAGE_PREFIX = 'ParleySignalingInviteMessage_';

type Kind = 'out' | 'in' | 'phone';
type Phase = 'ringing' | 'accepted' | 'ended';

/** The extras of `channelInviteUser2` that change how the invitation behaves. */
export interface InviteOptions {
  /** `_require_peer_online: 1`: fail at once (INVITE_E_PEEROFFLINE) if the callee is offline. */
  requirePeerOnline: boolean;
  /** `_timeout: N`: fail (INVITE_E_TIMEOUT) and withdraw the invitation if unanswered after N s. */
  timeoutS: number;
}

export function inviteOptions(extra: string): InviteOptions {
  let o: unknown;
  try {
    o = JSON.parse(extra);
  } catch {
    o = undefined;
  }
  const x = typeof o === 'object' && o !== null ? (o as Record<string, unknown>) : {};
  const online = x._require_peer_online;
  const timeout = Number(x._timeout);
  return {
    requirePeerOnline: online === 1 || online === true || online === '1',
    timeoutS: Number.isFinite(timeout) && timeout > 0 ? timeout : 0,
  };
}

export class Call {
  readonly channelName: string;
  /** The other side: an account, or a phone number. */
  readonly peer: string;
  /** The invitation's extra; for an incoming call, the caller's (the Web SDK lost it there). */
  readonly extra: string;
  /** The peer's legacy uid. */
  readonly peeruid: number;

  onInviteReceivedByPeer?: (extra: string) => void;
  onInviteAcceptedByPeer?: (extra: string) => void;
  onInviteRefusedByPeer?: (extra: string) => void;
  /** `reason`: the RTM failure reason or what went wrong; `ecode`: INVITE_E_* (or GENERAL_E_NOT_LOGIN). */
  onInviteFailed?: (reason: string, ecode: number) => void;
  onInviteEndByPeer?: (extra: string) => void;
  onInviteEndByMyself?: (extra: string) => void;
  /** `extra` as sent (`{"msgtype":"dtmf","msgdata":"1"}`), then its two fields. */
  onInviteMsg?: (extra: string, msgType: string, msgData: string) => void;

  readonly #calls: Calls;
  readonly #kind: Kind;
  #phase: Phase = 'ringing';
  #local: LocalInvitation | undefined;
  #remote: RemoteInvitation | undefined;
  #timer: TimerHandle | undefined;

  /** @internal Made by the session (`channelInviteUser2`, …) or for an incoming invitation. */
  constructor(calls: Calls, kind: Kind, channelName: string, peer: string, extra: string) {
    this.#calls = calls;
    this.#kind = kind;
    this.channelName = channelName;
    this.peer = peer;
    this.extra = extra;
    this.peeruid = signalUid(peer);
  }

  /** Accepts an incoming call; the caller gets `onInviteAcceptedByPeer(extra)`. */
  channelInviteAccept(extra = ''): void {
    const ri = this.#answerable('channelInviteAccept');
    if (!ri) return;
    try {
      ri.response = extra;
      ri.accept();
      this.#phase = 'accepted';
    } catch (e) {
      this.#calls.core.error('channelInviteAccept', SignalingCode.GENERAL_E_FAILED, describe(e));
    }
  }

  /** Refuses an incoming call; the caller gets `onInviteRefusedByPeer(extra)`. */
  channelInviteRefuse(extra = ''): void {
    const ri = this.#answerable('channelInviteRefuse');
    if (!ri) return;
    this.#settle();
    try {
      ri.response = extra;
      ri.refuse();
    } catch (e) {
      this.#calls.core.error('channelInviteRefuse', SignalingCode.GENERAL_E_FAILED, describe(e));
    }
  }

  /**
   * Ends the call at any time: cancels an unanswered invitation (refuses it, for the callee),
   * hangs up an accepted one. `onInviteEndByMyself('')` fires at once; the peer gets
   * `onInviteEndByPeer`.
   */
  channelInviteEnd(extra = ''): void {
    const phase = this.#phase;
    this.#settle();
    const core = this.#calls.core;
    if (this.#kind === 'phone') {
      if (phase !== 'ended')
        core
          .telephony({ t: 'tel.end', c: this.channelName, phone: this.peer, extra })
          .catch((e: unknown) => core.error('channelInviteEnd', telephonyCode(e), describe(e)));
    } else if (phase === 'ringing') {
      try {
        if (this.#local) {
          // The cancel carries the content as it is then: the callee's onInviteEndByPeer(extra).
          this.#local.content = extra;
          this.#local.cancel();
        } else if (this.#remote) {
          this.#remote.response = extra;
          this.#remote.refuse();
        }
      } catch {
        // The invitation had ended already: nothing left to withdraw.
      }
    } else if (phase === 'accepted') {
      core.client
        .sendMessageToPeer({ text: `${END_CALL_PREFIX}_${this.channelName}_${extra}` }, this.peer)
        .catch((e: unknown) =>
          core.error('channelInviteEnd', SignalingCode.INVITE_E_OTHER, describe(e)),
        );
    }
    fire(this as Call, 'onInviteEndByMyself', '');
  }

  /** Sends DTMF tones (0-9 * # A-D): to the telephony gateway for a phone call, else to the peer. */
  channelInviteDTMF(dtmf: string): void {
    const core = this.#calls.core;
    const onError = (e: unknown) => core.error('channelInviteDTMF', telephonyCode(e), describe(e));
    if (this.#kind === 'phone') {
      core
        .telephony({ t: 'tel.dtmf', c: this.channelName, phone: this.peer, dtmf: String(dtmf) })
        .catch(onError);
      return;
    }
    const extra = JSON.stringify({ msgtype: 'dtmf', msgdata: String(dtmf) });
    const text = INVITE_MESSAGE_PREFIX + JSON.stringify({ channel: this.channelName, extra });
    core.client.sendMessageToPeer({ text }, this.peer).catch(onError);
  }

  /** @internal Rings the callee (an account). */
  async dial(options: InviteOptions): Promise<void> {
    const core = this.#calls.core;
    if (!core.online) return this.#fail('NOT_LOGGEDIN');
    if (options.requirePeerOnline) {
      let online: boolean;
      try {
        online = (await core.client.queryPeersOnlineStatus([this.peer]))[this.peer] === true;
      } catch (e) {
        return this.#fail(describe(e), SignalingCode.INVITE_E_NET);
      }
      if (this.#phase !== 'ringing') return;
      if (!online) return this.#fail('PEER_OFFLINE');
    }
    try {
      const inv = core.client.createLocalInvitation(this.peer);
      inv.channelId = this.channelName;
      inv.content = this.extra;
      inv.on('LocalInvitationReceivedByPeer', () => {
        if (this.#phase === 'ringing') fire(this as Call, 'onInviteReceivedByPeer', '');
      });
      inv.on('LocalInvitationAccepted', (response) => {
        if (this.#phase !== 'ringing') return;
        this.#phase = 'accepted';
        this.#calls.core.clock.clear(this.#timer);
        fire(this as Call, 'onInviteAcceptedByPeer', response ?? '');
      });
      inv.on('LocalInvitationRefused', (response) => {
        if (this.#phase !== 'ringing') return;
        this.#settle();
        fire(this as Call, 'onInviteRefusedByPeer', response ?? '');
      });
      inv.on('LocalInvitationFailure', (reason) => {
        if (this.#phase === 'ringing') this.#fail(String(reason));
      });
      this.#local = inv;
      inv.send();
    } catch (e) {
      return this.#fail(describe(e), SignalingCode.INVITE_E_OTHER);
    }
    if (options.timeoutS > 0)
      this.#timer = unref(
        core.clock.setTimeout(() => {
          if (this.#phase !== 'ringing') return;
          this.#withdraw();
          this.#fail('_timeout', SignalingCode.INVITE_E_TIMEOUT);
        }, options.timeoutS * 1000),
      );
  }

  /** @internal Rings a phone number through the telephony gateway. */
  async dialPhone(sourceNumber: string, extra: string): Promise<void> {
    const frame: TelephonyRequestBody = { t: 'tel.invite', c: this.channelName, phone: this.peer };
    if (sourceNumber) frame.src = sourceNumber;
    if (extra) frame.extra = extra;
    try {
      await this.#calls.core.telephony(frame);
    } catch (e) {
      if (this.#phase === 'ringing') this.#fail(describe(e), telephonyCode(e));
      return;
    }
    if (this.#phase === 'ringing') fire(this as Call, 'onInviteReceivedByPeer', '');
  }

  /** @internal An invitation from an account arrived. */
  ring(ri: RemoteInvitation): void {
    this.#remote = ri;
    ri.on('RemoteInvitationCanceled', (content) => {
      if (this.#phase === 'ended') return;
      this.#settle();
      fire(this as Call, 'onInviteEndByPeer', content);
    });
    ri.on('RemoteInvitationFailure', (reason) => {
      if (this.#phase !== 'ended') this.#fail(String(reason));
    });
  }

  /** @internal The peer sent the end-call message for this call. */
  endedByPeer(extra: string): void {
    if (this.#phase === 'ended') return;
    this.#withdraw();
    this.#settle();
    fire(this as Call, 'onInviteEndByPeer', extra);
  }

  /** @internal An `onInviteMsg` for this call. */
  message(extra: string): void {
    let type = '';
    let data = '';
    try {
      const x = JSON.parse(extra) as { msgtype?: unknown; msgdata?: unknown };
      type = typeof x.msgtype === 'string' ? x.msgtype : '';
      data = typeof x.msgdata === 'string' ? x.msgdata : '';
    } catch {
      // not JSON: the extra alone
    }
    fire(this as Call, 'onInviteMsg', extra, type, data);
  }

  /** @internal Replaced by a new invitation with the same channel and peer, or the session ended: stop quietly. */
  drop(): void {
    if (this.#phase === 'ended') return;
    this.#withdraw();
    this.#phase = 'ended';
    this.#calls.core.clock.clear(this.#timer);
  }

  get #ringingOut(): boolean {
    return this.#phase === 'ringing' && this.#kind === 'out';
  }

  /** Cancels our unanswered outgoing invitation without telling the app (the callee: onInviteEndByPeer('')). */
  #withdraw(): void {
    if (!this.#ringingOut || !this.#local) return;
    try {
      this.#local.content = '';
      this.#local.cancel();
    } catch {
      // already over
    }
  }

  #answerable(what: string): RemoteInvitation | undefined {
    const core = this.#calls.core;
    if (this.#kind !== 'in' || !this.#remote) {
      core.error(what, SignalingCode.GENERAL_E_WRONG_PARAM, `${what}: not an incoming call`);
      return undefined;
    }
    if (this.#phase !== 'ringing') {
      core.error(what, SignalingCode.GENERAL_E_FAILED, `${what}: the call is ${this.#phase}`);
      return undefined;
    }
    return this.#remote;
  }

  #settle(): void {
    this.#phase = 'ended';
    this.#calls.core.clock.clear(this.#timer);
    this.#calls.forget(this);
  }

  #fail(reason: string, ecode = inviteFailureCode(reason)): void {
    this.#settle();
    fire(this as Call, 'onInviteFailed', reason, ecode);
  }
}

/** The calls of one session, keyed by channel and peer (a new invitation replaces the old). */
export class Calls {
  readonly #calls = new Map<string, Call>();

  constructor(
    /** @internal */
    readonly core: SessionCore,
    private readonly received: (call: Call) => void,
  ) {}

  /** An outgoing call to an account. */
  invite(channelName: string, peer: string, extra: string): Call {
    const call = new Call(this, 'out', channelName, peer, extra);
    this.#put(call);
    // Asynchronous, so the app sets the callbacks on the returned call first.
    queueMicrotask(() => void call.dial(inviteOptions(extra)));
    return call;
  }

  /** An outgoing call to a phone number, through the telephony gateway. */
  invitePhone(channelName: string, phone: string, sourceNumber: string, extra: string): Call {
    const call = new Call(this, 'phone', channelName, phone, extra);
    this.#put(call);
    queueMicrotask(() => void call.dialPhone(sourceNumber, extra));
    return call;
  }

  /** The SDK's RemoteInvitationReceived. */
  incoming(ri: RemoteInvitation): void {
    const call = new Call(this, 'in', ri.channelId ?? '', ri.callerId, ri.content ?? '');
    call.ring(ri);
    this.#put(call);
    this.received(call);
  }

  find(channelName: string, peer: string): Call | undefined {
    return this.#calls.get(key(channelName, peer));
  }

  /**
   * A peer text message starting with END_CALL_PREFIX: `<prefix>_<channelName>_<extra>`.
   * Channel names may hold `_`, so the peer's calls say where the name ends.
   */
  endCallMessage(from: string, text: string): void {
    const rest = text.slice(END_CALL_PREFIX.length + 1);
    let best: Call | undefined;
    for (const c of this.#calls.values())
      if (
        c.peer === from &&
        rest.startsWith(c.channelName + '_') &&
        (!best || c.channelName.length > best.channelName.length)
      )
        best = c;
    best?.endedByPeer(rest.slice(best.channelName.length + 1));
  }

  /** A peer text message starting with INVITE_MESSAGE_PREFIX. */
  inviteMessage(from: string, text: string): void {
    let m: { channel?: unknown; extra?: unknown };
    try {
      m = JSON.parse(text.slice(INVITE_MESSAGE_PREFIX.length)) as typeof m;
    } catch {
      return;
    }
    if (typeof m.channel !== 'string' || typeof m.extra !== 'string') return;
    this.find(m.channel, from)?.message(m.extra);
  }

  /** @internal */
  forget(call: Call): void {
    const k = key(call.channelName, call.peer);
    if (this.#calls.get(k) === call) this.#calls.delete(k);
  }

  /** The session ended: every call stops, without callbacks. */
  close(): void {
    for (const c of this.#calls.values()) c.drop();
    this.#calls.clear();
  }

  #put(call: Call): void {
    const k = key(call.channelName, call.peer);
    const old = this.#calls.get(k);
    this.#calls.set(k, call);
    old?.drop();
  }
}

function key(channelName: string, peer: string): string {
  return `${channelName}\n${peer}`;
}

/** The Signaling code of a telephony failure: the server's TelephonyError code, or INVITE_E_OTHER. */
export function telephonyCode(e: unknown): number {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === TelephonyError.NET) return SignalingCode.INVITE_E_NET;
  if (code === TelephonyError.WRONG_PARAM) return SignalingCode.GENERAL_E_WRONG_PARAM;
  return SignalingCode.INVITE_E_OTHER;
}

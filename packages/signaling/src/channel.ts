/**
 * Channel: the one channel a Signaling session is in, on top of an RtmChannel.
 *
 * The join sequence is the Web SDK's: `onChannelJoined()`, then `onChannelUserList(users)` (the
 * latest 200 members, as `[account, uid]`), then every existing attribute as
 * `onChannelAttrUpdated(name, value, 'update')`; events that arrive meanwhile wait and follow.
 * The session's own channel messages come back to it (`onMessageChannelReceive`), as in Signaling.
 */
import type { ChannelAttributes, RtmChannel, RtmMessage } from '@parley/sdk';
import { callBack, fire, signalUid, toText } from './callbacks.js';
import { describe, generalCode, sendFailureCode, SignalingCode } from './codes.js';
import type { SessionCore } from './core.js';
import { clearChannelAttr, delChannelAttr, setChannelAttr } from './operations.js';

export type ChannelState = 'joining' | 'joined' | 'leaved';
export type AttrUpdateType = 'update' | 'del' | 'clear';

/** `cb(failed, ecode)`: the Web SDK called it with no arguments, even on failure. */
export type ResultCallback = (failed: boolean, ecode: number) => void;

type Snapshot = Map<string, { value: string; ts: number }>;

export class Channel {
  readonly name: string;
  state: ChannelState = 'joining';
  /** Channel messages received so far (the Web SDK's message counter). */
  m_channel_msgid = 0;

  onChannelJoined?: () => void;
  /** `ecode` is JOINCHANNEL_E_OTHER (300); `reason` says what the server refused. */
  onChannelJoinFailed?: (ecode: number, reason: string) => void;
  /** 0 after `channelLeave()`; 602 when joining another channel left this one; 603 logout; 604 network lost. */
  onChannelLeaved?: (ecode: number) => void;
  onChannelUserJoined?: (account: string, uid: number) => void;
  onChannelUserLeaved?: (account: string, uid: number) => void;
  onChannelUserList?: (users: [account: string, uid: number][]) => void;
  onChannelAttrUpdated?: (name: string, value: string, type: AttrUpdateType) => void;
  onMessageChannelReceive?: (account: string, uid: number, msg: string) => void;

  readonly #core: SessionCore;
  #rtm: RtmChannel | undefined;
  #attrs: Snapshot = new Map();
  /** Events that arrived while joining, played after the join sequence. */
  #held: (() => void)[] = [];

  /** @internal Sessions create channels (`session.channelJoin`). */
  constructor(core: SessionCore, name: string) {
    this.#core = core;
    this.name = name;
  }

  /** Sends a channel message. `cb(failed, ecode)`; also `onMessageSendSuccess` / `onMessageSendError` on the session. */
  messageChannelSend(msg: unknown, cb?: ResultCallback): void {
    this.send(msg, this.#core.messageId(), cb);
  }

  /**
   * Leaves. With `cb`, `cb()` is called; without, `onChannelLeaved(0)` fires (the Web SDK's
   * behaviour). Others get `onChannelUserLeaved`.
   */
  channelLeave(cb?: () => void): void {
    if (this.state === 'leaved') {
      if (cb) queueMicrotask(() => callBack(cb, 'channelLeave'));
      return;
    }
    const done = () => {
      if (cb) callBack(cb, 'channelLeave');
      else fire(this as Channel, 'onChannelLeaved', SignalingCode.SUCCESS);
    };
    this.#leave().then(done, done);
  }

  /** Sets an attribute (an empty value deletes it); every member gets `onChannelAttrUpdated`. */
  channelSetAttr(name: string, value: string, cb?: ResultCallback): void {
    this.#attrWrite(
      'channelSetAttr',
      setChannelAttr(this.#core.client, this.name, name, value),
      cb,
    );
  }

  channelDelAttr(name: string, cb?: ResultCallback): void {
    this.#attrWrite('channelDelAttr', delChannelAttr(this.#core.client, this.name, name), cb);
  }

  channelClearAttr(cb?: ResultCallback): void {
    this.#attrWrite('channelClearAttr', clearChannelAttr(this.#core.client, this.name), cb);
  }

  /** @internal Joins, after leaving `previous` (one channel at a time). */
  async join(previous: Channel | undefined): Promise<void> {
    if (previous) await previous.#leave(SignalingCode.LEAVECHANNEL_E_BYUSER);
    if (this.state !== 'joining') return;
    const core = this.#core;
    let rtm: RtmChannel;
    try {
      rtm = core.client.createChannel(this.name);
    } catch (e) {
      return this.#joinFailed(e);
    }
    this.#rtm = rtm;
    rtm.on('ChannelMessage', (m, from) => this.#event(() => this.#message(m, from)));
    rtm.on('MemberJoined', (u) =>
      this.#event(() => fire(this as Channel, 'onChannelUserJoined', u, signalUid(u))),
    );
    rtm.on('MemberLeft', (u) =>
      this.#event(() => fire(this as Channel, 'onChannelUserLeaved', u, signalUid(u))),
    );
    // While joining, the attribute snapshot read below supersedes any notification.
    rtm.on('AttributesUpdated', (a) => {
      if (this.state === 'joined') this.#attributesUpdated(a);
    });
    let members: string[];
    try {
      members = await core.ext.joinWithMemberList(rtm);
    } catch (e) {
      return this.#joinFailed(e);
    }
    let attrs: ChannelAttributes = {};
    if (this.state === 'joining')
      attrs = await core.client.getChannelAttributes(this.name).catch(() => ({}));
    if (this.state !== 'joining') return;
    this.state = 'joined';
    this.#attrs = snapshot(attrs);
    fire(this as Channel, 'onChannelJoined');
    fire(
      this as Channel,
      'onChannelUserList',
      members.map((a): [string, number] => [a, signalUid(a)]),
    );
    for (const [k, a] of Object.entries(attrs))
      fire(this as Channel, 'onChannelAttrUpdated', k, a.value, 'update');
    const held = this.#held;
    this.#held = [];
    for (const run of held) run();
  }

  /** @internal Sends a message with a given message id (also `session.messageChannelSend`). */
  send(msg: unknown, msgID: string, cb?: ResultCallback): void {
    const core = this.#core;
    const fail = (e: unknown) => {
      callBack(cb, 'messageChannelSend', true, sendFailureCode(e));
      core.sendResult(msgID, e);
    };
    if (this.state !== 'joined' || !this.#rtm) {
      const e = new Error(`messageChannelSend: not in channel "${this.name}" (${this.state})`);
      queueMicrotask(() => fail(e));
      return;
    }
    this.#rtm.sendMessage({ text: toText(msg) }).then(() => {
      callBack(cb, 'messageChannelSend', false, SignalingCode.SUCCESS);
      core.sendResult(msgID);
    }, fail);
  }

  /** @internal The members (at most 512) of this channel, if joined. */
  members(): Promise<string[]> {
    if (this.state !== 'joined' || !this.#rtm)
      return Promise.reject(new Error(`not in channel "${this.name}"`));
    return this.#core.ext.signalingMembers(this.#rtm);
  }

  /** @internal The session ended: the channel is gone with it (no RTM call: the client is going). */
  detach(ecode: number): void {
    if (this.state === 'leaved') return;
    this.state = 'leaved';
    this.#held = [];
    fire(this as Channel, 'onChannelLeaved', ecode);
  }

  /** Leaves on the server; with `ecode`, fires `onChannelLeaved(ecode)` once left. */
  async #leave(ecode?: number): Promise<void> {
    if (this.state === 'leaved') return;
    this.state = 'leaved';
    this.#held = [];
    await this.#rtm?.leave().catch(() => undefined);
    if (ecode !== undefined) fire(this as Channel, 'onChannelLeaved', ecode);
  }

  #joinFailed(e: unknown): void {
    if (this.state !== 'joining') return;
    this.state = 'leaved';
    fire(this as Channel, 'onChannelJoinFailed', SignalingCode.JOINCHANNEL_E_OTHER, describe(e));
  }

  #event(run: () => void): void {
    if (this.state === 'joined') run();
    else if (this.state === 'joining') this.#held.push(run);
  }

  #message(m: RtmMessage, from: string): void {
    // Signaling carried text only; RTM's raw (file, image) messages never reached it.
    if (m.messageType === 'RAW' || typeof m.text !== 'string') return;
    this.m_channel_msgid++;
    fire(this as Channel, 'onMessageChannelReceive', from, signalUid(from), m.text);
  }

  /**
   * RTM notifies the whole attribute set; Signaling notified each change. Keys gone are `del`,
   * new or rewritten ones `update`; all of several keys gone at once is one `clear`.
   */
  #attributesUpdated(attrs: ChannelAttributes): void {
    const prev = this.#attrs;
    const next = snapshot(attrs);
    this.#attrs = next;
    const gone = [...prev.keys()].filter((k) => !next.has(k));
    if (next.size === 0 && gone.length > 1) {
      fire(this as Channel, 'onChannelAttrUpdated', '', '', 'clear');
      return;
    }
    for (const k of gone) fire(this as Channel, 'onChannelAttrUpdated', k, '', 'del');
    for (const [k, a] of next) {
      const p = prev.get(k);
      if (!p || p.value !== a.value || p.ts !== a.ts)
        fire(this as Channel, 'onChannelAttrUpdated', k, a.value, 'update');
    }
  }

  #attrWrite(what: string, op: Promise<void>, cb: ResultCallback | undefined): void {
    op.then(
      () => callBack(cb, what, false, SignalingCode.SUCCESS),
      (e: unknown) => callBack(cb, what, true, generalCode(e)),
    );
  }
}

function snapshot(attrs: ChannelAttributes): Snapshot {
  const m: Snapshot = new Map();
  for (const [k, a] of Object.entries(attrs)) m.set(k, { value: a.value, ts: a.lastUpdateTs });
  return m;
}

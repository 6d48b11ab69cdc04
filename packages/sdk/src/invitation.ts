/**
 * LocalInvitation (the caller's call invitation) and RemoteInvitation (the callee's), with the
 * fields, methods, states and events of agora-rtm-sdk 1.6.0.
 *
 * Methods answer nothing and throw synchronously on misuse, with the INVITATION_API_CALL_ERR
 * codes (`InvitationApiCallError`) in the order the web SDK checks them; what happens next
 * arrives as events. Once an invitation has ended (a terminal state), later events are ignored.
 *
 * @example
 * ```ts
 * const call = client.createLocalInvitation('bob');
 * call.channelId = 'room-42';
 * call.on('LocalInvitationAccepted', (response) => join(call.channelId, response));
 * call.on('LocalInvitationFailure', (reason) => show(`call failed: ${reason}`));
 * call.send();
 * ```
 */
import {
  ID_RULE,
  InvitationApiCallError,
  InvitationLimits,
  isValidId,
  utf8Length,
} from '@parley/protocol';
import {
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from './constants.js';
import { EventEmitter, type ListenerType } from './emitter.js';
import { createRtmError, type RtmError } from './errors.js';

export interface LocalInvitationEvents {
  /** The callee accepted, with its response. */
  LocalInvitationAccepted: (response: string) => void;
  /** The callee refused, with its response. */
  LocalInvitationRefused: (response: string) => void;
  /** The callee's SDK has the invitation (it is ringing). */
  LocalInvitationReceivedByPeer: () => void;
  /** `cancel()` took effect (or the legacy end-call message ended it). */
  LocalInvitationCanceled: () => void;
  LocalInvitationFailure: (reason: LocalInvitationFailureReason) => void;
}

export interface RemoteInvitationEvents {
  /** The caller canceled, with the invitation's content as it was then. */
  RemoteInvitationCanceled: (content: string) => void;
  /** `refuse()` took effect. */
  RemoteInvitationRefused: () => void;
  /** `accept()` took effect: the caller has the acceptance. */
  RemoteInvitationAccepted: () => void;
  RemoteInvitationFailure: (reason: RemoteInvitationFailureReason) => void;
}

/** @internal What an invitation asks of its client's Invitations (see invitations.ts). */
export interface InvitationLink {
  send(invitation: LocalInvitation): void;
  cancel(invitation: LocalInvitation): void;
  accept(invitation: RemoteInvitationImpl): void;
  refuse(invitation: RemoteInvitationImpl): void;
}

const E = InvitationApiCallError;

function misuse(code: number, message: string): RtmError {
  return createRtmError('invitation', code, message);
}

/** content and response: strings of at most 8 KB in UTF-8. */
function checkText(value: unknown, what: string): void {
  if (typeof value !== 'string') throw misuse(E.INVALID_ARGUMENT, `${what}: must be a string`);
  const bytes = utf8Length(value);
  if (bytes > InvitationLimits.maxTextBytes)
    throw misuse(
      E.INVALID_ARGUMENT,
      `${what}: ${bytes} bytes; the limit is ${InvitationLimits.maxTextBytes} bytes (UTF-8)`,
    );
}

const LOCAL_ENDS: readonly LocalInvitationState[] = [
  LocalInvitationState.CANCELED,
  LocalInvitationState.FAILURE,
  LocalInvitationState.ACCEPTED_BY_REMOTE,
  LocalInvitationState.REFUSED_BY_REMOTE,
];

/** The call invitation a caller makes with `RtmClient.createLocalInvitation(calleeId)`. */
export class LocalInvitation extends EventEmitter<LocalInvitationEvents> {
  /** Content for the callee (at most 8 KB); `cancel()` sends it as it is then. */
  content = '';
  private _channelId = '';
  private _response = '';
  private _state = LocalInvitationState.IDLE;

  /** @internal */
  constructor(
    readonly calleeId: string,
    /** @internal The invitation id, unique among this client's invitations. */
    readonly callId: string,
    private readonly link: InvitationLink,
  ) {
    super();
  }

  get state(): LocalInvitationState {
    return this._state;
  }

  /** The callee's response, once it accepted or refused. */
  get response(): string {
    return this._response;
  }

  set response(_value: string) {
    throw misuse(E.INVALID_ARGUMENT, 'response: the callee sets the response of an invitation');
  }

  /**
   * A channel for the call (required to reach legacy Signaling callees; the SDK never joins it).
   * Set it before `send()`: later assignments are ignored, as in the web SDK.
   */
  get channelId(): string {
    return this._channelId;
  }

  set channelId(value: string) {
    if (this._state === LocalInvitationState.IDLE) this._channelId = value;
  }

  /** Rings the callee. Throws ALREADY_SENT, ALREADY_END or INVALID_ARGUMENT (bad ids, content). */
  send(): void {
    const s = this._state;
    if (s === LocalInvitationState.SENT_TO_REMOTE || s === LocalInvitationState.RECEIVED_BY_REMOTE)
      throw misuse(E.ALREADY_SENT, 'LocalInvitation.send: the invitation is sent already');
    if (this.ended)
      throw misuse(E.ALREADY_END, `LocalInvitation.send: the invitation ended (${s})`);
    if (this._channelId !== '' && !isValidId(this._channelId))
      throw misuse(E.INVALID_ARGUMENT, `channelId: must be empty or ${ID_RULE}`);
    if (!isValidId(this.calleeId)) throw misuse(E.INVALID_ARGUMENT, `calleeId: must be ${ID_RULE}`);
    checkText(this.content, 'content');
    this._state = LocalInvitationState.SENT_TO_REMOTE;
    this.link.send(this);
  }

  /** Withdraws a sent invitation. Throws ALREADY_END, NOT_STARTED or INVALID_ARGUMENT (content). */
  cancel(): void {
    if (this.ended)
      throw misuse(E.ALREADY_END, `LocalInvitation.cancel: the invitation ended (${this._state})`);
    if (this._state === LocalInvitationState.IDLE)
      throw misuse(E.NOT_STARTED, 'LocalInvitation.cancel: the invitation is not sent yet');
    checkText(this.content, 'content');
    this.link.cancel(this);
    this._state = LocalInvitationState.CANCELED;
    this.emit('LocalInvitationCanceled');
  }

  /** @internal True once in a terminal state. */
  get ended(): boolean {
    return LOCAL_ENDS.includes(this._state);
  }

  /** @internal The callee's SDK has it. */
  onReceivedByPeer(): void {
    if (this._state !== LocalInvitationState.SENT_TO_REMOTE) return;
    this._state = LocalInvitationState.RECEIVED_BY_REMOTE;
    this.emit('LocalInvitationReceivedByPeer');
  }

  /** @internal The callee answered; answers whether this invitation took it. */
  onAnswer(accepted: boolean, response: string): boolean {
    if (this.ended) return false;
    // An answer proves receipt: ReceivedByPeer first if it has not come yet, as on the web.
    this.onReceivedByPeer();
    this._response = response;
    if (accepted) {
      this._state = LocalInvitationState.ACCEPTED_BY_REMOTE;
      this.emit('LocalInvitationAccepted', response);
    } else {
      this._state = LocalInvitationState.REFUSED_BY_REMOTE;
      this.emit('LocalInvitationRefused', response);
    }
    return true;
  }

  /** @internal Ended by the legacy end-call message the caller sent. */
  onCanceled(): void {
    if (this.ended) return;
    this._state = LocalInvitationState.CANCELED;
    this.emit('LocalInvitationCanceled');
  }

  /** @internal */
  onFailure(reason: LocalInvitationFailureReason): void {
    if (this.ended) return;
    this._state = LocalInvitationState.FAILURE;
    this.emit('LocalInvitationFailure', reason);
  }
}

const REMOTE_ENDS: readonly RemoteInvitationState[] = [
  RemoteInvitationState.ACCEPTED,
  RemoteInvitationState.REFUSED,
  RemoteInvitationState.CANCELED,
  RemoteInvitationState.FAILURE,
];

type Listener = Parameters<EventEmitter['off']>[1];
type Listeners = ReturnType<EventEmitter['listeners']>;

/**
 * A call invitation to this client, from `RemoteInvitationReceived`. The type is this public
 * surface (what agora-rtm-sdk declares, so its RemoteInvitation type fits where ours is expected);
 * the value is the class that implements it.
 */
export interface RemoteInvitation {
  /** The caller's uid. */
  readonly callerId: string;
  /** The caller's channel for the call ('' when it set none). */
  readonly channelId: string;
  /** The caller's content (replaced by the cancel's content if the caller cancels). */
  readonly content: string;
  readonly state: RemoteInvitationState;
  /** The answer for the caller (at most 8 KB), sent by `accept()` or `refuse()`. */
  response: string;
  /** Accepts, with `response`. Throws ALREADY_END, ALREADY_ACCEPT or INVALID_ARGUMENT (response). */
  accept(): void;
  /** Refuses, with `response`. Throws ALREADY_ACCEPT, ALREADY_END or INVALID_ARGUMENT (response). */
  refuse(): void;
  on<P extends keyof RemoteInvitationEvents>(
    event: P,
    listener: (...args: ListenerType<RemoteInvitationEvents[P]>) => void,
  ): this;
  once<P extends keyof RemoteInvitationEvents>(
    event: P,
    listener: (...args: ListenerType<RemoteInvitationEvents[P]>) => void,
  ): this;
  off<P extends keyof RemoteInvitationEvents>(event: P, listener: Listener): this;
  removeAllListeners<P extends keyof RemoteInvitationEvents>(event?: P): this;
  listeners<P extends keyof RemoteInvitationEvents>(event: P): Listeners;
  rawListeners<P extends keyof RemoteInvitationEvents>(event: P): Listeners;
  listenerCount<P extends keyof RemoteInvitationEvents>(event: P): number;
}

/** @internal The class behind RemoteInvitation, with what the client's Invitations drive. */
export class RemoteInvitationImpl
  extends EventEmitter<RemoteInvitationEvents>
  implements RemoteInvitation
{
  response = '';
  private _state = RemoteInvitationState.INVITATION_RECEIVED;

  /** @internal */
  constructor(
    readonly callerId: string,
    /** @internal The invitation id, unique among its caller's invitations. */
    readonly callId: string,
    private readonly _channelId: string,
    private _content: string,
    private readonly link: InvitationLink,
  ) {
    super();
  }

  get state(): RemoteInvitationState {
    return this._state;
  }

  get channelId(): string {
    return this._channelId;
  }

  set channelId(_value: string) {
    throw misuse(E.INVALID_ARGUMENT, 'channelId: the caller sets the channel of an invitation');
  }

  get content(): string {
    return this._content;
  }

  set content(_value: string) {
    throw misuse(E.INVALID_ARGUMENT, 'content: the caller sets the content of an invitation');
  }

  accept(): void {
    if (this.ended)
      throw misuse(E.ALREADY_END, `RemoteInvitation.accept: the invitation ended (${this._state})`);
    if (this._state === RemoteInvitationState.ACCEPT_SENT_TO_LOCAL)
      throw misuse(E.ALREADY_ACCEPT, 'RemoteInvitation.accept: accepted already');
    checkText(this.response, 'response');
    this._state = RemoteInvitationState.ACCEPT_SENT_TO_LOCAL;
    this.link.accept(this);
  }

  refuse(): void {
    if (this._state === RemoteInvitationState.ACCEPT_SENT_TO_LOCAL)
      throw misuse(E.ALREADY_ACCEPT, 'RemoteInvitation.refuse: accepted already');
    if (this.ended)
      throw misuse(E.ALREADY_END, `RemoteInvitation.refuse: the invitation ended (${this._state})`);
    checkText(this.response, 'response');
    this.link.refuse(this);
    this._state = RemoteInvitationState.REFUSED;
    this.emit('RemoteInvitationRefused');
  }

  /** @internal True once in a terminal state. */
  get ended(): boolean {
    return REMOTE_ENDS.includes(this._state);
  }

  /** @internal The caller canceled (also while this side was accepting, as on the web). */
  onCanceled(content: string): void {
    if (this.ended) return;
    this._content = content;
    this._state = RemoteInvitationState.CANCELED;
    this.emit('RemoteInvitationCanceled', content);
  }

  /** @internal The caller took the accept. */
  onAccepted(): void {
    if (this._state !== RemoteInvitationState.ACCEPT_SENT_TO_LOCAL) return;
    this._state = RemoteInvitationState.ACCEPTED;
    this.emit('RemoteInvitationAccepted');
  }

  /** @internal */
  onFailure(reason: RemoteInvitationFailureReason): void {
    if (this.ended) return;
    this._state = RemoteInvitationState.FAILURE;
    this.emit('RemoteInvitationFailure', reason);
  }
}

/** The RemoteInvitation class (apps get instances from `RemoteInvitationReceived`, never make them). */
export const RemoteInvitation: abstract new (...args: never[]) => RemoteInvitation =
  RemoteInvitationImpl;

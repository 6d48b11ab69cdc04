/**
 * Call invitations of one client: creates LocalInvitations, receives RemoteInvitations, and
 * carries their requests and events (frames in @parley/protocol's invitation-frames.ts).
 *
 * The server decides every outcome and keeps every timer; this side applies what it hears,
 * acknowledges what the server must know arrived (a received invitation, a taken accept), and
 * ends its live invitations itself only when its session is gone.
 */
import {
  bytesToBase64,
  ID_RULE,
  InvitationApiCallError,
  InvitationRequestError,
  isValidId,
  USER_NOT_LOGGED_IN,
  type InvitationRequest,
  type InvitationReliablePush,
  type LocalInvitationPush,
  type LoginResult,
  type RemoteInvitationPush,
  type RequestBody,
} from '@parley/protocol';
import { Timing } from './config.js';
import type { Reason, State } from './connection.js';
import {
  END_CALL_PREFIX,
  LocalInvitationFailureReason,
  RemoteInvitationFailureReason,
} from './constants.js';
import { createRtmError, type RtmError } from './errors.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import { LocalInvitation, RemoteInvitationImpl, type InvitationLink } from './invitation.js';
import { RecentIds } from './recent-ids.js';
import type { ApiCall } from './requests.js';

/** The server could not do it now, or no answer came (timed out, the connection dropped). */
const { TRY_AGAIN } = InvitationRequestError;

type InvitationBody = RequestBody<InvitationRequest['t']>;

function call(method: string): ApiCall {
  return {
    method,
    api: 'invitation',
    timeoutCode: TRY_AGAIN,
    notLoggedInCode: USER_NOT_LOGGED_IN,
  };
}

export class Invitations implements ClientFeature<'linv' | 'rinv'> {
  readonly pushes = ['linv', 'rinv'] as const;
  /** Sent and not ended, by id. */
  private readonly outgoing = new Map<string, LocalInvitation>();
  /** The `inv.send` of each outgoing invitation until the server answers it. */
  private readonly sending = new Map<string, Promise<unknown>>();
  /** Received and not ended, by caller and id. */
  private readonly incoming = new Map<string, RemoteInvitationImpl>();
  private readonly seen = new RecentIds(Timing.invitationDedupCapacity);
  private readonly link: InvitationLink = {
    send: (inv) => this.send(inv),
    cancel: (inv) => this.cancel(inv),
    accept: (inv) =>
      this.fire('RemoteInvitation.accept', {
        t: 'inv.accept',
        f: inv.callerId,
        id: inv.callId,
        r: inv.response,
      }),
    refuse: (inv) => {
      this.incoming.delete(remoteKey(inv.callerId, inv.callId));
      this.fire('RemoteInvitation.refuse', {
        t: 'inv.refuse',
        f: inv.callerId,
        id: inv.callId,
        r: inv.response,
      });
    },
  };

  constructor(private readonly host: FeatureHost) {}

  /** A new invitation to `calleeId`; a bad id throws INVALID_ARGUMENT, as on the web. */
  create(calleeId: string): LocalInvitation {
    if (!isValidId(calleeId))
      throw createRtmError(
        'invitation',
        InvitationApiCallError.INVALID_ARGUMENT,
        `calleeId: must be ${ID_RULE}`,
      );
    return new LocalInvitation(calleeId, newId(), this.link);
  }

  onPush(f: InvitationReliablePush): void {
    if (f.t === 'linv') this.onLocalEvent(f);
    else this.onRemoteEvent(f);
  }

  /** The session is gone for good: what was live ends here (the server ended it too). */
  stateChanged(state: State, _reason: Reason): void {
    if (state === 'DISCONNECTED' || state === 'ABORTED') this.endAll();
  }

  /**
   * The server lost the session: it ended what that session had — but for the invitations the
   * new session carries on (`result.inv`: the old session's node died, the store kept them).
   */
  sessionRenewed(result: LoginResult): void {
    const out = new Set(result.inv?.out);
    const inc = new Set(result.inv?.in.map((k) => remoteKey(k.f, k.id)));
    // A send queued while reconnecting went out on the new session: withdraw it too.
    for (const inv of this.outgoing.values())
      if (!out.has(inv.callId))
        this.fire('LocalInvitation.cancel', { t: 'inv.cancel', id: inv.callId, c: inv.content });
    this.endAll(out, inc);
  }

  /**
   * A text peer message starting with END_CALL_PREFIX (`<prefix>_<channelId>_<extra>`): the
   * legacy Signaling end-call. It cancels the live invitations this client received from
   * `from` for that channel, with `extra` as their content, and answers true if it did (the app
   * then does not see it as a peer message); otherwise the app gets it as a peer message, as
   * the web SDK delivers it. Channel ids may hold `_`: each invitation's own says where it ends.
   */
  onEndCallMessage(from: string, text: string): boolean {
    let taken = false;
    for (const [key, inv] of this.incoming) {
      const head = `${END_CALL_PREFIX}_${inv.channelId}_`;
      if (inv.callerId !== from || inv.channelId === '' || !text.startsWith(head)) continue;
      const extra = text.slice(head.length);
      this.incoming.delete(key);
      this.fire('RemoteInvitation.endCall', { t: 'inv.endcall', f: from, id: inv.callId });
      inv.onCanceled(extra);
      taken = true;
    }
    return taken;
  }

  private send(inv: LocalInvitation): void {
    this.outgoing.set(inv.callId, inv);
    const sent = this.request('LocalInvitation.send', {
      t: 'inv.send',
      id: inv.callId,
      to: inv.calleeId,
      ch: inv.channelId,
      c: inv.content,
    }).then(
      () => undefined,
      (e: RtmError) => {
        // As the web SDK reports a send that failed: not logged in, no answer, or else.
        inv.onFailure(
          e.code === USER_NOT_LOGGED_IN
            ? LocalInvitationFailureReason.NOT_LOGGEDIN
            : e.code === TRY_AGAIN
              ? LocalInvitationFailureReason.PEER_NO_RESPONSE
              : LocalInvitationFailureReason.UNKNOWN,
        );
        this.settleLocal(inv);
      },
    );
    this.sending.set(inv.callId, sent);
    void sent.finally(() => this.sending.delete(inv.callId));
  }

  private cancel(inv: LocalInvitation): void {
    this.outgoing.delete(inv.callId);
    const frame = {
      t: 'inv.cancel',
      id: inv.callId,
      c: inv.content,
    } satisfies RequestBody<'inv.cancel'>;
    // After the send's answer, so the server never sees the cancel first.
    const sent = this.sending.get(inv.callId);
    if (sent) void sent.then(() => this.fire('LocalInvitation.cancel', frame));
    else this.fire('LocalInvitation.cancel', frame);
  }

  private onLocalEvent(f: LocalInvitationPush): void {
    const inv = this.outgoing.get(f.id);
    if (!inv) return;
    switch (f.e) {
      case 'ReceivedByPeer':
        inv.onReceivedByPeer();
        break;
      case 'Accepted':
        // Confirm first: the callee's accept completes once the server knows this side has it.
        this.fire('LocalInvitation.confirmAccept', { t: 'inv.confirm', id: f.id });
        inv.onAnswer(true, f.r);
        break;
      case 'Refused':
        inv.onAnswer(false, f.r);
        break;
      case 'Canceled':
        inv.onCanceled();
        break;
      case 'Failure':
        inv.onFailure(f.why as LocalInvitationFailureReason);
        break;
    }
    this.settleLocal(inv);
  }

  private onRemoteEvent(f: RemoteInvitationPush): void {
    const key = remoteKey(f.f, f.id);
    if (f.e === 'Received') {
      if (!this.seen.add(key)) return;
      const inv = new RemoteInvitationImpl(f.f, f.id, f.ch, f.c, this.link);
      this.incoming.set(key, inv);
      // Acknowledge before the app hears of it, so the server has the ack before any answer.
      this.fire('RemoteInvitation.acknowledge', { t: 'inv.ack', f: f.f, id: f.id });
      this.host.emit('RemoteInvitationReceived', inv);
      return;
    }
    const inv = this.incoming.get(key);
    if (!inv) return;
    if (f.e === 'Canceled') inv.onCanceled(f.c);
    else if (f.e === 'Accepted') inv.onAccepted();
    else inv.onFailure(f.why as RemoteInvitationFailureReason);
    if (inv.ended) this.incoming.delete(key);
  }

  private settleLocal(inv: LocalInvitation): void {
    if (inv.ended && this.outgoing.get(inv.callId) === inv) this.outgoing.delete(inv.callId);
  }

  /** Ends every live invitation but those kept (outgoing by id, incoming by `remoteKey`). */
  private endAll(keepOut?: ReadonlySet<string>, keepIn?: ReadonlySet<string>): void {
    const outgoing = [...this.outgoing.values()].filter((inv) => !keepOut?.has(inv.callId));
    const incoming = [...this.incoming].filter(([key]) => !keepIn?.has(key));
    for (const inv of outgoing) this.outgoing.delete(inv.callId);
    for (const [key] of incoming) this.incoming.delete(key);
    for (const inv of outgoing) inv.onFailure(LocalInvitationFailureReason.NOT_LOGGEDIN);
    for (const [, inv] of incoming) inv.onFailure(RemoteInvitationFailureReason.UNKNOWN);
  }

  /**
   * Sends an invitation request, again when it got no answer while the client is still logged
   * in (every invitation request is safe to repeat on the server).
   */
  private request(
    method: string,
    body: InvitationBody,
    tries: number = Timing.invitationRequestTries,
  ): Promise<void> {
    return this.host.connection.request(call(method), body).then(
      () => undefined,
      (e: RtmError) => {
        const state = this.host.connection.state;
        const loggedIn = state === 'CONNECTED' || state === 'RECONNECTING';
        if (e.code === TRY_AGAIN && tries > 1 && loggedIn)
          return this.request(method, body, tries - 1);
        throw e;
      },
    );
  }

  /** A request whose failure needs no handling: the server's pushes tell what happened. */
  private fire(method: string, body: InvitationBody): void {
    this.request(method, body).catch(() => undefined);
  }
}

function remoteKey(callerId: string, id: string): string {
  return `${callerId}\n${id}`;
}

/** 128 random bits, base64url (22 characters, all of the id charset). */
function newId(): string {
  const bytes = new Uint8Array(16);
  const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
  if (c) c.getRandomValues(bytes);
  else for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(Math.random() * 256);
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

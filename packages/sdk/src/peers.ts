/**
 * Peers: peer messages. Sends them, and hands each received one to the app once
 * (MessageFromPeer) — except the legacy end-call message, which ends a received invitation.
 */
import { PeerMessageError, type PeerMessagePush, type RequestBody } from '@parley/protocol';
import type { PeerMessageSendResult } from './client-events.js';
import { Timing } from './config.js';
import type { State } from './connection.js';
import { END_CALL_PREFIX } from './constants.js';
import { createRtmError } from './errors.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import type { Invitations } from './invitations.js';
import { fromWire, toWire, type RtmMessage, type SendMessageOptions } from './message.js';
import { RecentIds } from './recent-ids.js';
import { apiCall } from './requests.js';

const SEND = apiCall('RtmClient.sendMessageToPeer', 'sendMessageToPeer');

export class Peers implements ClientFeature<'msg'> {
  readonly pushes = ['msg'] as const;
  /** Ids of the messages received since login: one the server sent twice reaches the app once. */
  private readonly seen = new RecentIds(Timing.peerMessageDedupCapacity);

  constructor(
    private readonly host: FeatureHost,
    private readonly invitations: Invitations,
  ) {}

  /**
   * Resolves `{hasPeerReceived}`: true once the peer's SDK has the message, false when the peer
   * is offline (stored if `options.enableOfflineMessaging`, a 1.2.x option).
   */
  send(
    message: RtmMessage,
    peerId: string,
    options?: SendMessageOptions,
  ): Promise<PeerMessageSendResult> {
    const m = toWire(message);
    if (!m)
      return Promise.reject(
        createRtmError(
          'sendMessageToPeer',
          PeerMessageError.INVALID_MESSAGE,
          'message: must be {text: string} or {rawMessage: Uint8Array, description?: string}',
        ),
      );
    const offline = options?.enableOfflineMessaging ? { off: true } : {};
    const body = { t: 'psend', to: peerId, m, ...offline } satisfies RequestBody<'psend'>;
    return this.host.connection.request(SEND, body).then((r) => ({ hasPeerReceived: r.recv }));
  }

  onPush(f: PeerMessagePush): void {
    if (!this.seen.add(f.mid)) return;
    if (
      f.m.k === 'T' &&
      f.m.x.startsWith(END_CALL_PREFIX) &&
      this.invitations.onEndCallMessage(f.f, f.m.x)
    )
      return;
    this.host.emit('MessageFromPeer', fromWire(f.m), f.f, {
      serverReceivedTs: f.ts,
      isOfflineMessage: f.off === 1,
    });
  }

  stateChanged(state: State): void {
    // A fresh login: ids seen by an earlier session can come again.
    if (state === 'CONNECTING') this.seen.clear();
  }
}

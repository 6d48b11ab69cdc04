/**
 * Presence: whether peers are online. Queries, subscriptions (PeersOnlineStatusChanged reports
 * the subscribed peers' states, then every change), and subscribing again to the same peers
 * when the server lost the session.
 */
import {
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  type PresencePush,
  type RequestBody,
} from '@parley/protocol';
import type { PeersOnlineStatusMap, PeersOnlineStatusResult } from './client-events.js';
import type { State } from './connection.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import type { ApiCall } from './requests.js';

const QUERY: ApiCall = {
  method: 'RtmClient.queryPeersOnlineStatus',
  api: 'queryPeersOnlineStatus',
  timeoutCode: QueryPeersOnlineStatusError.TIMEOUT,
  notLoggedInCode: QueryPeersOnlineStatusError.USER_NOT_LOGGED_IN,
};
const SUBSCRIBE: ApiCall = {
  method: 'RtmClient.subscribePeersOnlineStatus',
  api: 'subscribePeersOnlineStatus',
  timeoutCode: PeerSubscriptionStatusError.TIMEOUT,
  notLoggedInCode: PeerSubscriptionStatusError.USER_NOT_LOGGED_IN,
};
const UNSUBSCRIBE: ApiCall = {
  ...SUBSCRIBE,
  method: 'RtmClient.unsubscribePeersOnlineStatus',
  api: 'unsubscribePeersOnlineStatus',
};
const LIST: ApiCall = {
  method: 'RtmClient.queryPeersBySubscriptionOption',
  api: 'queryPeersBySubscriptionOption',
  timeoutCode: QueryPeersBySubscriptionOptionError.TIMEOUT,
  notLoggedInCode: QueryPeersBySubscriptionOptionError.USER_NOT_LOGGED_IN,
};

export class Presence implements ClientFeature<'pst'> {
  readonly pushes = ['pst'] as const;
  /** The peers subscribed to, subscribed to again when the server lost the session. */
  private readonly subscribed = new Set<string>();

  constructor(private readonly host: FeatureHost) {}

  async query(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    const body = { t: 'pquery', ids: peerIds } satisfies RequestBody<'pquery'>;
    return (await this.host.connection.request(QUERY, body)).st;
  }

  async subscribe(peerIds: string[]): Promise<void> {
    const body = { t: 'psub', ids: peerIds } satisfies RequestBody<'psub'>;
    await this.host.connection.request(SUBSCRIBE, body);
    for (const id of peerIds) this.subscribed.add(id);
  }

  async unsubscribe(peerIds: string[]): Promise<void> {
    const body = { t: 'punsub', ids: peerIds } satisfies RequestBody<'punsub'>;
    await this.host.connection.request(UNSUBSCRIBE, body);
    for (const id of peerIds) this.subscribed.delete(id);
  }

  async subscribedPeers(option: 'ONLINE_STATUS'): Promise<string[]> {
    const body = { t: 'plist', o: option } satisfies RequestBody<'plist'>;
    return (await this.host.connection.request(LIST, body)).ids;
  }

  onPush(f: PresencePush): void {
    this.host.emit('PeersOnlineStatusChanged', f.st as PeersOnlineStatusMap);
  }

  sessionRenewed(): void {
    if (this.subscribed.size === 0) return;
    const body = { t: 'psub', ids: [...this.subscribed] } satisfies RequestBody<'psub'>;
    this.host.connection.request(SUBSCRIBE, body).catch(() => undefined);
  }

  stateChanged(state: State): void {
    if (state === 'DISCONNECTED') this.subscribed.clear();
  }
}

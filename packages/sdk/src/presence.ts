/**
 * Presence: whether peers are online. Queries, subscriptions (PeersOnlineStatusChanged reports
 * the subscribed peers' states, then every change), and subscribing again to the same peers
 * when the server lost the session.
 */
import type { PresencePush, RequestBody } from '@parley/protocol';
import type { PeersOnlineStatusMap, PeersOnlineStatusResult } from './client-events.js';
import type { State } from './connection.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import { apiCall } from './requests.js';

const QUERY = apiCall('RtmClient.queryPeersOnlineStatus', 'queryPeersOnlineStatus');
const SUBSCRIBE = apiCall('RtmClient.subscribePeersOnlineStatus', 'subscribePeersOnlineStatus');
const UNSUBSCRIBE = apiCall(
  'RtmClient.unsubscribePeersOnlineStatus',
  'unsubscribePeersOnlineStatus',
);
const LIST = apiCall('RtmClient.queryPeersBySubscriptionOption', 'queryPeersBySubscriptionOption');

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

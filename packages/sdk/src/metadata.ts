/**
 * Metadata: user and channel metadata (RTM 1.5+): items with revisions, compare-and-set, and
 * subscriptions to a user's changes (UserMetaDataUpdated). Channel metadata changes arrive as
 * channel events (channels.ts); the writes and reads of both are here.
 */
import {
  MetadataSubscriptionError,
  type MetadataOp,
  type RequestBody,
  type UserMetadataPush,
} from '@parley/protocol';
import type { ClientFeature, FeatureHost } from './feature.js';
import {
  metadataFromWire,
  type RtmMetadata,
  type RtmMetadataItem,
  type RtmMetadataOptions,
} from './metadata-item.js';
import { apiCall, type ApiCall } from './requests.js';

/** The subscription table spells its not-logged-in code NOT_LOGGED_IN, as the web SDK does. */
function subscriptionCall(method: string): ApiCall {
  return {
    method,
    api: 'metadataSubscription',
    timeoutCode: MetadataSubscriptionError.TIMEOUT,
    notLoggedInCode: MetadataSubscriptionError.NOT_LOGGED_IN,
  };
}

export class Metadata implements ClientFeature<'umeta'> {
  readonly pushes = ['umeta'] as const;

  constructor(private readonly host: FeatureHost) {}

  /** Writes the local user's metadata (`channelId` undefined) or a channel's. */
  async write(
    method: string,
    op: MetadataOp,
    items: RtmMetadataItem[],
    options: RtmMetadataOptions | undefined,
    channelId?: string,
  ): Promise<void> {
    const body = {
      t: 'meta',
      ...(channelId === undefined ? { o: 'u' as const } : { o: 'c' as const, id: channelId }),
      op,
      items: (items ?? []).map((it) => ({
        k: it.getKey(),
        v: it.getValue() ?? '',
        r: it.getRevision(),
      })),
      mr: options?.majorRevision ?? -1,
      rts: options?.enableRecordTs === true,
      ruid: options?.enableRecordUserId === true,
    } satisfies RequestBody<'meta'>;
    await this.host.connection.request(apiCall(method, 'metadata'), body);
  }

  /** Reads a user's ('u') or a channel's ('c') metadata. */
  async read(method: string, owner: 'u' | 'c', id: string): Promise<RtmMetadata> {
    const body = { t: 'meta.get', o: owner, id } satisfies RequestBody<'meta.get'>;
    return metadataFromWire(await this.host.connection.request(apiCall(method, 'metadata'), body));
  }

  /** UserMetaDataUpdated then reports every change of `uid`'s metadata (`on`), or no more. */
  async subscribe(method: string, on: boolean, uid: string): Promise<void> {
    const body = {
      t: on ? 'meta.sub' : 'meta.unsub',
      u: uid,
    } satisfies RequestBody<'meta.sub' | 'meta.unsub'>;
    await this.host.connection.request(subscriptionCall(method), body);
  }

  onPush(f: UserMetadataPush): void {
    this.host.emit('UserMetaDataUpdated', f.u, metadataFromWire(f.d));
  }
}

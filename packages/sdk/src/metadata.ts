/** RtmMetadataItem, RtmMetadata and the requests behind the metadata methods (RTM 1.5+). */
import {
  MetadataOperationError,
  MetadataSubscriptionError,
  type ApiName,
  type MetadataOp,
  type WireMetadata,
} from '@parley/protocol';
import type { Connection } from './connection.js';

export interface RtmMetadataOptions {
  /** Compare-and-set on the whole metadata: -1 (default) = no check. */
  majorRevision?: number;
  enableRecordTs?: boolean;
  enableRecordUserId?: boolean;
}

/** One metadata item. A revision of -1 (the default) writes without a revision check. */
export interface RtmMetadataItem {
  setKey(key: string): void;
  getKey(): string;
  setValue(value: string | null): void;
  getValue(): string | null;
  setRevision(revision: number): void;
  getRevision(): number;
  getUpdateTs(): number;
  getAuthorUserId(): string;
}

/**
 * The implementation behind `createMetadataItem()`. Methods take the RtmMetadataItem interface,
 * so items typed against agora-rtm-sdk's declaration are accepted too.
 */
class MetadataItem implements RtmMetadataItem {
  private key = '';
  private value: string | null = null;
  private revision = -1;
  private updateTs = 0;
  private authorUserId = '';

  setKey(key: string): void {
    this.key = key;
  }
  getKey(): string {
    return this.key;
  }
  setValue(value: string | null): void {
    this.value = value;
  }
  getValue(): string | null {
    return this.value;
  }
  setRevision(revision: number): void {
    this.revision = revision;
  }
  getRevision(): number {
    return this.revision;
  }
  getUpdateTs(): number {
    return this.updateTs;
  }
  getAuthorUserId(): string {
    return this.authorUserId;
  }

  /** @internal */
  static fromWire(w: WireMetadata['items'][number]): MetadataItem {
    const item = new MetadataItem();
    item.key = w.k;
    item.value = w.v;
    item.revision = w.r;
    item.updateTs = w.ts;
    item.authorUserId = w.a;
    return item;
  }
}

/** The RtmMetadataItem class (as a value: `new RtmMetadataItem()`). */
export const RtmMetadataItem: new () => RtmMetadataItem = MetadataItem;

export interface RtmMetadata {
  items: RtmMetadataItem[];
  majorRevision: number;
}

export function metadataFromWire(d: WireMetadata): RtmMetadata {
  return { items: d.items.map((w) => MetadataItem.fromWire(w)), majorRevision: d.mr };
}

/** Writes the local user's (channelId undefined) or a channel's metadata. */
export async function writeMetadata(
  c: Connection,
  method: string,
  op: MetadataOp,
  items: RtmMetadataItem[],
  options: RtmMetadataOptions | undefined,
  channelId?: string,
): Promise<void> {
  const frame: Record<string, unknown> = {
    t: 'meta',
    o: channelId === undefined ? 'u' : 'c',
    op,
    items: (items ?? []).map((it) => ({
      k: it.getKey(),
      v: it.getValue() ?? '',
      r: it.getRevision(),
    })),
    mr: options?.majorRevision ?? -1,
    rts: options?.enableRecordTs === true,
    ruid: options?.enableRecordUserId === true,
  };
  if (channelId !== undefined) frame.id = channelId;
  await c.request('metadata', method, frame, MetadataOperationError.TIMEOUT);
}

export async function readMetadata(
  c: Connection,
  method: string,
  owner: 'u' | 'c',
  id: string,
): Promise<RtmMetadata> {
  const d = await c.request<WireMetadata>(
    'metadata',
    method,
    { t: 'meta.get', o: owner, id },
    MetadataOperationError.TIMEOUT,
  );
  return metadataFromWire(d);
}

export async function subscribeMetadata(
  c: Connection,
  method: string,
  on: boolean,
  uid: string,
): Promise<void> {
  const api: ApiName = 'metadataSubscription';
  await c.request(
    api,
    method,
    { t: on ? 'meta.sub' : 'meta.unsub', u: uid },
    MetadataSubscriptionError.TIMEOUT,
  );
}

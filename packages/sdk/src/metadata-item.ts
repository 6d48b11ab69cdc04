/** RtmMetadataItem and RtmMetadata: the shapes of user and channel metadata (RTM 1.5+). */
import type { WireMetadata } from '@parley/protocol';

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

/** Frames of user and channel metadata (RTM 1.5+): items with revisions, compare-and-set. */

/** A metadata item on the wire. `r` = revision: -1 = no check (writes), the stored one (reads). */
export interface WireMetadataItem {
  k: string;
  v: string;
  r: number;
  /** updateTs, ms; 0 when not recorded. */
  ts: number;
  /** authorUserId; '' when not recorded. */
  a: string;
}

export interface WireMetadata {
  items: WireMetadataItem[];
  /** majorRevision */
  mr: number;
}

/** Whose metadata: a user's ('u', `id` = uid) or a channel's ('c', `id` = channel id). */
export type MetadataOwner = 'u' | 'c';

/** set: add or update; add: fails on an existing key; update: fails on a missing key. */
export type MetadataOp = 'set' | 'add' | 'update' | 'delete' | 'clear';

export interface MetadataWriteReq {
  t: 'meta';
  i: number;
  o: MetadataOwner;
  /** The channel id when `o` is 'c' (users write only their own metadata). */
  id?: string;
  op: MetadataOp;
  items: { k: string; v: string; r: number }[];
  /** Expected majorRevision; -1 = no check. */
  mr: number;
  /** enableRecordTs, enableRecordUserId */
  rts: boolean;
  ruid: boolean;
}
export interface MetadataGetReq {
  t: 'meta.get';
  i: number;
  o: MetadataOwner;
  id: string;
}
export interface MetadataSubscribeReq {
  t: 'meta.sub' | 'meta.unsub';
  i: number;
  u: string;
}

export type MetadataRequest = MetadataWriteReq | MetadataGetReq | MetadataSubscribeReq;

/** The result of `meta`: the majorRevision after the write. */
export interface MetadataWriteResult {
  mr: number;
}

/** UserMetaDataUpdated for a subscriber (sequenced by the session: survives a resume). */
export interface UserMetadataPush {
  t: 'umeta';
  s: number;
  u: string;
  d: WireMetadata;
}
/** ChannelMetaDataUpdated for the channel's members (a channel event, numbered by `cs`). */
export interface ChannelMetadataPush {
  t: 'cmeta';
  c: string;
  cs: number;
  d: WireMetadata;
}

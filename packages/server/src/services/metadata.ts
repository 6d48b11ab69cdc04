/**
 * metadata: user and channel metadata (RTM 1.5+). Items carry revisions; a write that names a
 * revision (or the majorRevision) other than the stored one fails with OUTDATE_REVISION and
 * changes nothing. User metadata reaches subscribers (UserMetaDataUpdated); channel metadata
 * reaches the channel's members (ChannelMetaDataUpdated). Both end like attributes: with the
 * user's session, and once the channel has stayed empty.
 */
import {
  Limits,
  MetadataOperationError,
  MetadataSubscriptionError,
  utf8Length,
  type Clock,
  type MetadataWriteReq,
  type WireMetadata,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { StoredMetadata } from '../backend/attribute-store.js';
import { CONFLICT, OwnerWrites, maxWriteAttempts } from '../backend/owner-writes.js';
import type { EventStream } from '../events.js';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';
import { TopicWatchers } from '../topic-watchers.js';
import { userMetadataTopic } from '../topics.js';
import type { Channels } from './channels.js';

export function toWire(meta: StoredMetadata): WireMetadata {
  return {
    mr: meta.majorRevision,
    items: [...meta.items].map(([k, it]) => ({
      k,
      v: it.value,
      r: it.revision,
      ts: it.updateTs,
      a: it.authorUserId,
    })),
  };
}

/** Applies a write; answers the new metadata or [code, message]. */
export function applyWrite(
  cur: StoredMetadata,
  f: MetadataWriteReq,
  uid: string,
  now: number,
): StoredMetadata | [number, string] {
  const E = MetadataOperationError;
  if (f.mr >= 0 && f.mr !== cur.majorRevision)
    return [
      E.OUTDATE_REVISION,
      `options.majorRevision: ${f.mr} is outdated; the metadata is at ${cur.majorRevision}`,
    ];
  const major = cur.majorRevision + 1;
  const items = new Map(cur.items);
  if (f.op === 'clear') items.clear();
  for (const [n, it] of f.items.entries()) {
    const existing = items.get(it.k);
    if (it.r >= 0 && existing?.revision !== it.r)
      return [
        E.OUTDATE_REVISION,
        `items[${n}].revision: ${it.r} is outdated; "${it.k}" is at ${existing?.revision ?? 'none'}`,
      ];
    if (f.op === 'delete') {
      items.delete(it.k);
      continue;
    }
    if (f.op === 'clear') continue;
    if (f.op === 'add' && existing)
      return [E.DUPLICATE_KEY, `items[${n}].key: "${it.k}" exists already`];
    if (f.op === 'update' && !existing)
      return [E.INVALID_ARGUMENT, `items[${n}].key: "${it.k}" does not exist`];
    items.set(it.k, {
      value: it.v,
      revision: major,
      updateTs: f.rts ? now : 0,
      authorUserId: f.ruid ? uid : '',
    });
  }
  let bytes = 0;
  for (const [k, it] of items) bytes += utf8Length(k) + utf8Length(it.value);
  if (items.size > Limits.maxMetadataItems)
    return [
      E.SIZE_OVERFLOW,
      `items: ${items.size} after this change; the limit is ${Limits.maxMetadataItems}`,
    ];
  if (bytes > Limits.maxMetadataBytes)
    return [
      E.SIZE_OVERFLOW,
      `items: ${bytes} bytes after this change; the limit is ${Limits.maxMetadataBytes}`,
    ];
  return { majorRevision: major, items };
}

export class Metadata implements SessionService {
  readonly name = 'metadata';
  readonly ops = {
    meta: op(MetadataOperationError.TIMEOUT, MetadataOperationError.FAILURE),
    'meta.get': op(MetadataOperationError.TIMEOUT, MetadataOperationError.FAILURE),
    'meta.sub': op(MetadataSubscriptionError.TIMEOUT, MetadataSubscriptionError.FAILURE),
    'meta.unsub': op(MetadataSubscriptionError.TIMEOUT, MetadataSubscriptionError.FAILURE),
  };
  /** Local subscribers by user-metadata topic. */
  private readonly watchers: TopicWatchers<{ u: string; d: WireMetadata }>;
  private readonly subscriptions = new WeakMap<Session, Set<string>>();
  /** This node's metadata writes, by compare-and-set. */
  private readonly writes: OwnerWrites<StoredMetadata>;

  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly channels: Channels,
    private readonly events: EventStream,
    private readonly clock: Clock,
  ) {
    this.watchers = new TopicWatchers(backend.broker, (s, e) =>
      hub.push(s, { t: 'umeta', u: e.u, d: e.d }),
    );
    const store = backend.attributes;
    this.writes = new OwnerWrites(
      (o) => store.getMetadata(o.owner, o.app, o.id),
      (o, meta, version) => store.putMetadataIf(o.owner, o.app, o.id, meta, version),
    );
  }

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    const err = (i: number, c: number, m: string) => this.hub.tell(session, { t: 'err', i, c, m });
    switch (f.t) {
      case 'meta': {
        if (
          !session
            .rate('meta', Limits.metadataWriteRateCount, Limits.metadataRateWindowMs)
            .take(now)
        )
          return err(
            f.i,
            MetadataOperationError.TOO_OFTEN,
            `metadata: more than ${Limits.metadataWriteRateCount} changes per 5 s`,
          );
        const owner = f.o === 'u' ? 'user' : 'channel';
        const id = f.o === 'u' ? session.uid : f.id!;
        if (owner === 'channel' && !session.channels.has(id))
          return err(
            f.i,
            MetadataOperationError.NOT_IN_CHANNEL,
            `channel metadata: not in channel "${id}"; join it first`,
          );
        // Revisions are checked against the value this write applies to, in its compare-and-set.
        const next = await this.writes.write<StoredMetadata | [number, string]>(
          { owner, app: session.app, id },
          (cur) => {
            const applied = applyWrite(cur, f, session.uid, now);
            return Array.isArray(applied)
              ? { result: applied }
              : { next: applied, result: applied };
          },
        );
        if (next === CONFLICT)
          return err(
            f.i,
            MetadataOperationError.FAILURE,
            `metadata: other nodes changed it ${maxWriteAttempts} times meanwhile; try again`,
          );
        if (Array.isArray(next)) return err(f.i, next[0], next[1]);
        this.hub.tell(session, { t: 'ok', i: f.i, r: { mr: next.majorRevision } });
        this.changed(session.app, owner, id, session.uid, next.majorRevision, now);
        if (owner === 'user')
          await this.backend.broker.publish(userMetadataTopic(session.app, id), {
            u: id,
            d: toWire(next),
          });
        else await this.channels.publish(session.app, id, { t: 'cmeta', d: toWire(next) });
        return;
      }
      case 'meta.get': {
        const meta = await this.backend.attributes.getMetadata(
          f.o === 'u' ? 'user' : 'channel',
          session.app,
          f.id,
        );
        return this.hub.tell(session, { t: 'ok', i: f.i, r: toWire(meta.value) });
      }
      case 'meta.sub': {
        if (
          !session
            .rate('meta.sub', Limits.subscribeRateCount, Limits.subscribeRateWindowMs)
            .take(now)
        )
          return err(
            f.i,
            MetadataSubscriptionError.TOO_OFTEN,
            'subscribeUserMetadata: more than 10 calls per 5 s',
          );
        const subs = this.subscriptions.get(session) ?? new Set<string>();
        if (!subs.has(f.u) && subs.size >= Limits.maxMetadataSubscriptions)
          return err(
            f.i,
            MetadataSubscriptionError.OVERFLOW,
            `userId: the limit is ${Limits.maxMetadataSubscriptions} subscriptions`,
          );
        this.subscriptions.set(session, subs);
        if (!subs.has(f.u)) {
          subs.add(f.u);
          await this.watchers.watch(userMetadataTopic(session.app, f.u), session);
        }
        return this.hub.tell(session, { t: 'ok', i: f.i });
      }
      case 'meta.unsub': {
        if (
          !session
            .rate('meta.unsub', Limits.subscribeRateCount, Limits.subscribeRateWindowMs)
            .take(now)
        )
          return err(
            f.i,
            MetadataSubscriptionError.TOO_OFTEN,
            'unsubscribeUserMetadata: more than 10 calls per 5 s',
          );
        if (this.subscriptions.get(session)?.delete(f.u))
          await this.watchers.unwatch(userMetadataTopic(session.app, f.u), session);
        return this.hub.tell(session, { t: 'ok', i: f.i });
      }
      default:
        return;
    }
  }

  /** User metadata ends with the session; subscribers hear it emptied. */
  async ended(session: Session): Promise<void> {
    await this.handedOff(session);
    await this.endedElsewhere(session.app, session.uid);
  }

  /** The users whose metadata the session watches, for the node it moves to. */
  handOff(session: Session): string[] | undefined {
    const subs = this.subscriptions.get(session);
    return subs && subs.size > 0 ? [...subs] : undefined;
  }

  /** The session moved away: stop watching for it here (its metadata stays). */
  async handedOff(session: Session): Promise<void> {
    for (const u of this.subscriptions.get(session) ?? [])
      await this.watchers.unwatch(userMetadataTopic(session.app, u), session);
    this.subscriptions.delete(session);
  }

  async adopted(session: Session, state: unknown): Promise<void> {
    if (!Array.isArray(state)) return;
    const subs = new Set(state.filter((u): u is string => typeof u === 'string'));
    this.subscriptions.set(session, subs);
    for (const u of subs) await this.watchers.watch(userMetadataTopic(session.app, u), session);
  }

  /** Clears the user's metadata; subscribers hear it emptied. */
  async endedElsewhere(app: string, uid: string): Promise<void> {
    const empty = await this.writes.write({ owner: 'user', app, id: uid }, (cur) => {
      if (cur.items.size === 0) return { result: undefined };
      const next = { majorRevision: cur.majorRevision + 1, items: new Map() };
      return { next, result: next };
    });
    if (empty === CONFLICT) throw new Error(`metadata of ${uid}: changed while being cleared`);
    if (!empty) return;
    this.changed(app, 'user', uid, '', empty.majorRevision, this.clock.now());
    await this.backend.broker.publish(userMetadataTopic(app, uid), { u: uid, d: toWire(empty) });
  }

  private changed(
    app: string,
    owner: 'user' | 'channel',
    id: string,
    by: string,
    majorRevision: number,
    ts: number,
  ): void {
    this.events.emit({ type: 'metadata.changed', app, owner, id, by, majorRevision, ts });
  }
}

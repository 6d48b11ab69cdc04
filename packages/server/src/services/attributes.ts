/**
 * attributes: user attributes (cleared when the user's session ends) and channel attributes
 * (usable without joining; members are notified on request; cleared once the channel has been
 * empty for `channelAttributesClearMs`).
 */
import {
  AttributeOperationError,
  Limits,
  utf8Length,
  type ChannelAttrWriteReq,
  type Clock,
  type TimerHandle,
  type UserAttrWriteReq,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { AttributeMap, AttributeOwner, StoredAttribute } from '../backend/attribute-store.js';
import { CONFLICT, OwnerWrites, maxWriteAttempts } from '../backend/owner-writes.js';
import type { ServerConfig } from '../config.js';
import type { EventStream } from '../events.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../log.js';
import { op, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';
import type { Channels } from './channels.js';

type WriteReq = UserAttrWriteReq | ChannelAttrWriteReq;

/** Applies a write to a map; answers the new map or the SIZE_OVERFLOW message. */
function apply(
  current: AttributeMap,
  f: WriteReq,
  uid: string,
  now: number,
  maxCount: number,
  maxBytes: number,
): AttributeMap | string {
  let next: AttributeMap;
  if (f.op === 'clear') return new Map();
  if (f.op === 'del') {
    next = new Map(current);
    for (const k of f.keys ?? []) next.delete(k);
    return next;
  }
  next = f.op === 'set' ? new Map() : new Map(current);
  for (const [k, value] of Object.entries(f.attrs ?? {}))
    next.set(k, { value, lastUpdateUserId: uid, lastUpdateTs: now });
  if (next.size > maxCount)
    return `attributes: ${next.size} keys after this change; the limit is ${maxCount}`;
  let bytes = 0;
  for (const [k, a] of next) bytes += utf8Length(k) + utf8Length(a.value);
  if (bytes > maxBytes)
    return `attributes: ${bytes} bytes after this change; the limit is ${maxBytes} in total`;
  return next;
}

function pick(attrs: AttributeMap, keys: string[] | undefined): [string, StoredAttribute][] {
  const entries = [...attrs];
  return keys ? entries.filter(([k]) => keys.includes(k)) : entries;
}

const ATTRIBUTES = op(AttributeOperationError.TIMEOUT, AttributeOperationError.FAILURE);

export class Attributes implements SessionService {
  readonly name = 'attributes';
  readonly ops = {
    uattr: ATTRIBUTES,
    'uattr.get': ATTRIBUTES,
    cattr: ATTRIBUTES,
    'cattr.get': ATTRIBUTES,
  };
  /** Channels seen empty, and since when. */
  private readonly emptySince = new Map<string, { app: string; id: string; since: number }>();
  private readonly sweepTimer: TimerHandle;
  /** This node's attribute writes, by compare-and-set. */
  private readonly writes: OwnerWrites<AttributeMap>;

  constructor(
    private readonly backend: Backend,
    private readonly hub: Hub,
    private readonly channels: Channels,
    private readonly events: EventStream,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    const store = backend.attributes;
    this.writes = new OwnerWrites(
      (o) => store.getAttributes(o.owner, o.app, o.id),
      (o, attrs, version) => store.putAttributesIf(o.owner, o.app, o.id, attrs, version),
    );
    channels.onOccupancy((app, id, count, now) => this.occupancy(app, id, count, now));
    this.sweepTimer = clock.setInterval(
      () => this.clearEmpty(clock.now()),
      config.channelAttributesSweepMs,
    );
    this.sweepTimer.unref?.();
  }

  stop(): void {
    this.clock.clear(this.sweepTimer);
  }

  async handle(session: Session, f: ServiceFrame, now: number): Promise<void> {
    switch (f.t) {
      case 'uattr': {
        const next = await this.write(session, f, 'user', session.uid, now);
        if (!next) return;
        this.hub.tell(session, { t: 'ok', i: f.i });
        return this.changed(session.app, 'user', session.uid, session.uid, next, now);
      }
      case 'cattr': {
        const next = await this.write(session, f, 'channel', f.c, now);
        if (!next) return;
        const [count] = await this.backend.channels.counts(session.app, [f.c]);
        this.occupancy(session.app, f.c, count!, now);
        this.hub.tell(session, { t: 'ok', i: f.i });
        this.changed(session.app, 'channel', f.c, session.uid, next, now);
        if (f.notify)
          await this.channels.publish(session.app, f.c, {
            t: 'cattrs',
            attrs: Object.fromEntries(next),
          });
        return;
      }
      case 'uattr.get': {
        if (!this.allowRead(session, f.i, 'user', now)) return;
        const [state] = await this.backend.users.getPresence(session.app, [f.u]);
        if (state === 'OFFLINE')
          return this.hub.tell(session, {
            t: 'err',
            i: f.i,
            c: AttributeOperationError.USER_NOT_FOUND,
            m: `userId: "${f.u}" is not online`,
          });
        const { value: attrs } = await this.backend.attributes.getAttributes(
          'user',
          session.app,
          f.u,
        );
        const r = new Map<string, string>();
        for (const [k, a] of pick(attrs, f.keys)) r.set(k, a.value);
        return this.hub.tell(session, { t: 'ok', i: f.i, r: { attrs: Object.fromEntries(r) } });
      }
      case 'cattr.get': {
        if (!this.allowRead(session, f.i, 'channel', now)) return;
        const { value: attrs } = await this.backend.attributes.getAttributes(
          'channel',
          session.app,
          f.c,
        );
        return this.hub.tell(session, {
          t: 'ok',
          i: f.i,
          r: { attrs: Object.fromEntries(pick(attrs, f.keys)) },
        });
      }
      default:
        return;
    }
  }

  /** Applies a write to a user's or a channel's attributes; answers the new map, or undefined after an err reply. */
  private async write(
    session: Session,
    f: WriteReq,
    owner: AttributeOwner,
    id: string,
    now: number,
  ): Promise<AttributeMap | undefined> {
    const err = (c: number, m: string) => this.hub.tell(session, { t: 'err', i: f.i, c, m });
    if (
      !session
        .rate(`${owner}-attr`, Limits.attributeWriteRateCount, Limits.attributeRateWindowMs)
        .take(now)
    ) {
      err(
        AttributeOperationError.TOO_OFTEN,
        `${owner} attributes: more than ${Limits.attributeWriteRateCount} changes per 5 s`,
      );
      return undefined;
    }
    const [maxCount, maxBytes] =
      owner === 'user'
        ? [Limits.maxUserAttributes, Limits.maxUserAttributesBytes]
        : [Limits.maxChannelAttributes, Limits.maxChannelAttributesBytes];
    const next = await this.writes.write<AttributeMap | string>(
      { owner, app: session.app, id },
      (cur) => {
        const applied = apply(cur, f, session.uid, now, maxCount, maxBytes);
        return typeof applied === 'string'
          ? { result: applied }
          : { next: applied, result: applied };
      },
    );
    if (next === CONFLICT) {
      err(
        AttributeOperationError.FAILURE,
        `${owner} attributes: other nodes changed them ${maxWriteAttempts} times meanwhile; try again`,
      );
      return undefined;
    }
    if (typeof next === 'string') {
      err(AttributeOperationError.SIZE_OVERFLOW, next);
      return undefined;
    }
    return next;
  }

  /** The read rate limit (user: 40 per 5 s, channel: 10 per 5 s); answers false after an err reply. */
  private allowRead(session: Session, i: number, owner: AttributeOwner, now: number): boolean {
    const count =
      owner === 'user' ? Limits.userAttributeReadRateCount : Limits.channelAttributeReadRateCount;
    if (session.rate(`${owner}-attr-get`, count, Limits.attributeRateWindowMs).take(now))
      return true;
    const api = owner === 'user' ? 'getUserAttributes' : 'getChannelAttributes';
    this.hub.tell(session, {
      t: 'err',
      i,
      c: AttributeOperationError.TOO_OFTEN,
      m: `${api}: more than ${count} calls per 5 s`,
    });
    return false;
  }

  /** User attributes end with the session (logout, window passed, kicked, replaced). */
  async ended(session: Session): Promise<void> {
    await this.endedElsewhere(session.app, session.uid);
  }

  /** A write like the others, so none queued before it lands after and brings them back. */
  async endedElsewhere(app: string, uid: string): Promise<void> {
    const cleared = await this.writes.write({ owner: 'user', app, id: uid }, (cur) =>
      cur.size === 0 ? { result: false } : { next: new Map(), result: true },
    );
    if (cleared === CONFLICT) throw new Error(`attributes of ${uid}: changed while being cleared`);
    if (cleared) this.changed(app, 'user', uid, '', new Map(), this.clock.now());
  }

  /** The `attributes.changed` event of a write that landed. */
  private changed(
    app: string,
    owner: AttributeOwner,
    id: string,
    by: string,
    attrs: AttributeMap,
    ts: number,
  ): void {
    if (!this.events.wants('attributes.changed')) return;
    const attributes = new Map<string, string>();
    for (const [k, a] of attrs) attributes.set(k, a.value);
    this.events.emit({ type: 'attributes.changed', app, owner, id, by, attributes, ts });
  }

  private occupancy(app: string, id: string, count: number, now: number): void {
    const key = app + '/' + id;
    if (count > 0) this.emptySince.delete(key);
    else if (!this.emptySince.has(key)) this.emptySince.set(key, { app, id, since: now });
  }

  private clearEmpty(now: number): void {
    for (const [key, e] of this.emptySince) {
      if (now - e.since < this.config.channelAttributesClearMs) continue;
      this.emptySince.delete(key);
      void (async () => {
        const store = this.backend.attributes;
        // Read before the count: a write that comes after it keeps what it wrote.
        const [attrs, meta] = await Promise.all([
          store.getAttributes('channel', e.app, e.id),
          store.getMetadata('channel', e.app, e.id),
        ]);
        if (attrs.version === '' && meta.version === '') return;
        const [count] = await this.backend.channels.counts(e.app, [e.id]);
        if (count !== 0) return;
        const empty = { majorRevision: 0, items: new Map() };
        const [clearedAttrs] = await Promise.all([
          store.putAttributesIf('channel', e.app, e.id, new Map(), attrs.version),
          store.putMetadataIf('channel', e.app, e.id, empty, meta.version),
        ]);
        if (clearedAttrs && attrs.version !== '')
          this.changed(e.app, 'channel', e.id, '', new Map(), now);
      })().catch((err: unknown) => this.log.error({ err }, 'clearing channel attributes failed'));
    }
  }
}

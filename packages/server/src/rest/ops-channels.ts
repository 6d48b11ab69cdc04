/**
 * Parley's operations API for channels (Basic auth):
 *
 *   GET    /v1/apps/{appId}/channels?cursor=&limit=   → {channels: [{channelId, memberCount}], next}
 *   GET    /v1/apps/{appId}/channels/{channel}?offset=&limit=
 *          → {channelId, memberCount, members, attributes, metadata}
 *   PUT    /v1/apps/{appId}/channels/{channel}/attributes  {attributes, …}: replace them all
 *   PATCH  /v1/apps/{appId}/channels/{channel}/attributes  {attributes, …}: add or update
 *   DELETE /v1/apps/{appId}/channels/{channel}/attributes  {attributeKeys?, …}: those, or all
 *
 * Attribute writes take `enableNotificationToChannelMembers` (members get AttributesUpdated)
 * and `updatedBy` (the lastUpdateUserId, default ''); the SDK's limits and semantics apply.
 */
import {
  AttributeOperationError,
  parseClientFrame,
  type ChannelAttrWriteReq,
} from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { Attributes } from '../services/attributes.js';
import { toWire } from '../services/metadata.js';
import { RestError, badRequest } from './answers.js';
import { id, integer } from './fields.js';
import type { RestContext, Route } from './router.js';

const BASE = '/v1/apps/{appId}/channels';
const MAX_PAGE = 1000;

/** The SDK's own validation of a channel attribute write, on the REST body's fields. */
function writeOf(channel: string, op: ChannelAttrWriteReq['op'], b: Record<string, unknown>) {
  const parsed = parseClientFrame(
    JSON.stringify({
      t: 'cattr',
      i: 0,
      c: channel,
      op,
      attrs: b.attributes,
      keys: b.attributeKeys,
      notify: b.enableNotificationToChannelMembers,
    }),
  );
  if (parsed.kind === 'frame') return parsed.frame as ChannelAttrWriteReq;
  const reason = parsed.kind === 'reject' ? parsed.message : parsed.reason;
  throw badRequest(reason.replace(/^options\./, ''));
}

export function channelRoutes(backend: Backend, attributes: Attributes): Route[] {
  const write = (op: 'set' | 'add' | 'del') => async (ctx: RestContext) => {
    const channel = id(ctx.params.get('channel'), 'channel');
    const b = await ctx.body();
    const by = b.updatedBy === undefined ? '' : id(b.updatedBy, 'updatedBy');
    const f = writeOf(channel, op === 'del' && b.attributeKeys === undefined ? 'clear' : op, b);
    const r = await attributes.writeChannel(ctx.app, by, f, ctx.now);
    if ('code' in r)
      throw r.code === AttributeOperationError.FAILURE
        ? new RestError(409, 'conflict', r.message)
        : badRequest(r.message);
    await r.notify();
    return { attributes: Object.fromEntries(r.attrs) };
  };
  const attributesPath = `${BASE}/{channel}/attributes`;
  return [
    {
      name: 'channels',
      method: 'GET',
      path: BASE,
      auth: 'operator',
      async handle(ctx) {
        const cursor = ctx.query.get('cursor') ?? '';
        if (cursor.length > 128)
          throw badRequest('cursor: at most 128 characters, as answered in next');
        const limit = integer(ctx.query.get('limit'), 'limit', 1, MAX_PAGE, 100);
        const page = await backend.channels.listChannels(ctx.app, cursor, limit);
        return {
          channels: page.channels.map((c) => ({ channelId: c.id, memberCount: c.count })),
          next: page.next,
        };
      },
    },
    {
      name: 'channel',
      method: 'GET',
      path: `${BASE}/{channel}`,
      auth: 'operator',
      async handle(ctx) {
        const channel = id(ctx.params.get('channel'), 'channel');
        const offset = integer(ctx.query.get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
        const limit = integer(ctx.query.get('limit'), 'limit', 1, MAX_PAGE, 100);
        const [[count], members, attrs, meta] = await Promise.all([
          backend.channels.counts(ctx.app, [channel]),
          backend.channels.members(ctx.app, channel, limit, offset),
          backend.attributes.getAttributes('channel', ctx.app, channel),
          backend.attributes.getMetadata('channel', ctx.app, channel),
        ]);
        const wire = toWire(meta.value);
        return {
          channelId: channel,
          memberCount: count,
          members,
          attributes: Object.fromEntries(attrs.value),
          metadata: {
            majorRevision: wire.mr,
            items: wire.items.map((i) => ({
              key: i.k,
              value: i.v,
              revision: i.r,
              updateTs: i.ts,
              authorUserId: i.a,
            })),
          },
        };
      },
    },
    {
      name: 'channel_attributes_set',
      method: 'PUT',
      path: attributesPath,
      auth: 'operator',
      handle: write('set'),
    },
    {
      name: 'channel_attributes_update',
      method: 'PATCH',
      path: attributesPath,
      auth: 'operator',
      handle: write('add'),
    },
    {
      name: 'channel_attributes_delete',
      method: 'DELETE',
      path: attributesPath,
      auth: 'operator',
      handle: write('del'),
    },
  ];
}

/**
 * Agora's historical-message endpoints. A query is created with a POST and read with a GET at
 * the location it answers; the handle is the query itself (base64url JSON), so any node can
 * answer it and nothing is kept per query. Results are complete at once (`code: "ok"`, never
 * `"in progress"`).
 *
 *   POST /dev/v2/project/{appId}/rtm/message/history/query
 *        {filter: {source?, destination?, start_time, end_time}, offset?, limit?, order?}
 *   GET  /dev/v2/project/{appId}/rtm/message/history/query/{handle}
 *   GET  /dev/v2/project/{appId}/rtm/message/history/count?source=&destination=&start_time=&end_time=
 *
 * Times are ISO 8601 UTC (`2019-08-01T01:22:10Z`, milliseconds allowed). At least one of source
 * and destination is given: (null, user) is what the user received, (null, channel) the
 * channel's messages, (user, null) what the user sent, (user, user) one direction of a
 * conversation, (user, channel) the user's messages in the channel.
 */
import type { HistoryFilter, HistoryMessage, HistoryStore } from '../backend/history-store.js';
import type { ServerConfig } from '../config.js';
import { badRequest } from './answers.js';
import { id, integer } from './fields.js';
import type { RestContext, Route } from './router.js';

const BASE = '/dev/v2/project/{appId}/rtm/message/history';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** The largest `limit` (Agora offers 20, 50 and 100) and `offset`. */
const MAX_LIMIT = 100;
const MAX_OFFSET = 100_000;

interface Query {
  filter: HistoryFilter;
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
}

function time(value: unknown, field: string): number {
  const ms = typeof value === 'string' && ISO_UTC.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms))
    throw badRequest(`${field}: must be an ISO 8601 UTC time like 2019-08-01T01:22:10Z`);
  return ms;
}

function filterOf(f: Record<string, unknown>, prefix: string): HistoryFilter {
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (!given(f.source) && !given(f.destination))
    throw badRequest(`${prefix}source, ${prefix}destination: give at least one of them`);
  const filter: HistoryFilter = {
    startMs: time(f.start_time, `${prefix}start_time`),
    endMs: time(f.end_time, `${prefix}end_time`),
  };
  if (filter.startMs > filter.endMs)
    throw badRequest(`${prefix}start_time: must not be after ${prefix}end_time`);
  if (given(f.source)) filter.source = id(f.source, `${prefix}source`);
  if (given(f.destination)) filter.destination = id(f.destination, `${prefix}destination`);
  return filter;
}

function queryOf(b: Record<string, unknown>): Query {
  const f = b.filter;
  if (typeof f !== 'object' || f === null || Array.isArray(f))
    throw badRequest('filter: must be an object {source?, destination?, start_time, end_time}');
  const order = b.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw badRequest("order: must be 'asc' or 'desc'");
  return {
    filter: filterOf(f as Record<string, unknown>, 'filter.'),
    offset: integer(b.offset, 'offset', 0, MAX_OFFSET, 0),
    limit: integer(b.limit, 'limit', 1, MAX_LIMIT, 20),
    order,
  };
}

/** The handle of a query: the query and its app, as base64url JSON. */
function handleOf(app: string, q: Query): string {
  const f = q.filter;
  const raw = { a: app, s: f.source, d: f.destination, st: f.startMs, et: f.endMs };
  return Buffer.from(JSON.stringify({ ...raw, o: q.offset, l: q.limit, r: q.order })).toString(
    'base64url',
  );
}

function fromHandle(app: string, handle: string): Query {
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(Buffer.from(handle, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw badRequest(
      'handle: not a query of this server; create it with POST message/history/query',
    );
  }
  if (typeof h !== 'object' || h === null || h.a !== app)
    throw badRequest('handle: not a query of this app; create it with POST message/history/query');
  const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : undefined);
  return queryOf({
    filter: { source: h.s, destination: h.d, start_time: iso(h.st), end_time: iso(h.et) },
    offset: h.o,
    limit: h.l,
    order: h.r,
  });
}

/** Agora's message shape. */
function shown(m: HistoryMessage) {
  const type = m.kind === 'peer' ? 'peer_message' : 'channel_message';
  return { src: m.src, dst: m.dst, message_type: type, payload: m.payload, ms: m.ts };
}

export function historyRoutes(
  history: HistoryStore,
  config: Pick<ServerConfig, 'historyMaxAgeMs'>,
): Route[] {
  /** Nothing older than the age is kept, even if the store has not dropped it yet. */
  const bounded = (ctx: RestContext, f: HistoryFilter): HistoryFilter => ({
    ...f,
    startMs: Math.max(f.startMs, ctx.now - config.historyMaxAgeMs),
  });
  return [
    {
      name: 'history_query',
      method: 'POST',
      path: `${BASE}/query`,
      auth: 'operator',
      async handle(ctx) {
        const q = queryOf(await ctx.body());
        const location = `~/rtm/message/history/query/${handleOf(ctx.app, q)}`;
        return { offset: q.offset, limit: q.limit, order: q.order, location };
      },
    },
    {
      name: 'history_result',
      method: 'GET',
      path: `${BASE}/query/{handle}`,
      auth: 'operator',
      async handle(ctx) {
        const q = fromHandle(ctx.app, ctx.params.get('handle')!);
        const messages = await history.query(ctx.app, bounded(ctx, q.filter), q);
        return { code: 'ok', messages: messages.map(shown) };
      },
    },
    {
      name: 'history_count',
      method: 'GET',
      path: `${BASE}/count`,
      auth: 'operator',
      async handle(ctx) {
        const p = ctx.query;
        const f = filterOf(
          {
            source: p.get('source'),
            destination: p.get('destination'),
            start_time: p.get('start_time'),
            end_time: p.get('end_time'),
          },
          '',
        );
        return { code: 'ok', count: await history.count(ctx.app, bounded(ctx, f)) };
      },
    },
  ];
}

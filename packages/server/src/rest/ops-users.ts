/**
 * Parley's operations API for users (Basic auth), beside Agora's:
 *
 *   POST   /v1/apps/{appId}/users/presence  {userIds: [...≤256]} → {presence: {uid: state}}
 *   GET    /v1/apps/{appId}/users/{uid}     → {userId, online, presence, channels, attributes}
 *   POST   /v1/apps/{appId}/users/{uid}/kick → {kicked}: ABORTED / BANNED_BY_SERVER, no ban
 *   POST   /v1/apps/{appId}/users/{uid}/ban  {durationSeconds?} → kick + ban
 *   DELETE /v1/apps/{appId}/users/{uid}/ban  → lift the ban
 */
import { Limits, type Clock } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { ServerConfig } from '../config.js';
import type { Sessions } from '../sessions.js';
import { id, idArray, integer } from './fields.js';
import type { Route } from './router.js';

const BASE = '/v1/apps/{appId}/users';

export function userRoutes(
  backend: Backend,
  sessions: Sessions,
  config: Pick<ServerConfig, 'banDefaultSeconds' | 'banMaxSeconds'>,
  clock: Clock,
): Route[] {
  return [
    {
      name: 'users_presence',
      method: 'POST',
      path: `${BASE}/presence`,
      auth: 'operator',
      async handle(ctx) {
        const ids = idArray((await ctx.body()).userIds, 'userIds', Limits.maxQueryPeers);
        const states = await backend.users.getPresence(ctx.app, ids);
        return { presence: Object.fromEntries(ids.map((u, k) => [u, states[k]!])) };
      },
    },
    {
      name: 'user',
      method: 'GET',
      path: `${BASE}/{uid}`,
      auth: 'operator',
      async handle(ctx) {
        const uid = id(ctx.params.get('uid'), 'uid');
        const [[presence], channels, attrs] = await Promise.all([
          backend.users.getPresence(ctx.app, [uid]),
          backend.channels.channelsOf(ctx.app, uid),
          backend.attributes.getAttributes('user', ctx.app, uid),
        ]);
        const attributes = new Map([...attrs.value].map(([k, a]) => [k, a.value]));
        return {
          userId: uid,
          online: presence !== 'OFFLINE',
          presence,
          channels: presence === 'OFFLINE' ? [] : channels.sort(),
          attributes: Object.fromEntries(attributes),
        };
      },
    },
    {
      name: 'user_kick',
      method: 'POST',
      path: `${BASE}/{uid}/kick`,
      auth: 'operator',
      handle: async (ctx) => ({
        kicked: await sessions.kick(ctx.app, id(ctx.params.get('uid'), 'uid')),
      }),
    },
    {
      name: 'user_ban',
      method: 'POST',
      path: `${BASE}/{uid}/ban`,
      auth: 'operator',
      async handle(ctx) {
        const uid = id(ctx.params.get('uid'), 'uid');
        const { banDefaultSeconds, banMaxSeconds } = config;
        const b = await ctx.body();
        const seconds = integer(
          b.durationSeconds,
          'durationSeconds',
          1,
          banMaxSeconds,
          banDefaultSeconds,
        );
        const until = clock.now() + seconds * 1000;
        return { bannedUntil: until, kicked: await sessions.ban(ctx.app, uid, until) };
      },
    },
    {
      name: 'user_unban',
      method: 'DELETE',
      path: `${BASE}/{uid}/ban`,
      auth: 'operator',
      async handle(ctx) {
        await sessions.ban(ctx.app, id(ctx.params.get('uid'), 'uid'), 0);
        return {};
      },
    },
  ];
}

/**
 * Agora's user and channel event pull: every node records the logins, logouts, joins and
 * leaves it sees in the backend's EventLog (shared by all nodes on Redis); a pull takes the
 * oldest, at most 1,000, and they are gone.
 *
 *   GET /dev/v2/project/{appId}/rtm/vendor/user_events     → events [{user_id, type, ms}]
 *   GET /dev/v2/project/{appId}/rtm/vendor/channel_events  → events [{group_id, user_id, type, ms}]
 */
import type { EventLog } from '../backend/event-log.js';
import type { EventStream } from '../events.js';
import type { Logger } from '../log.js';
import type { Route } from './router.js';

/** Events per answer (Agora's). */
export const MAX_EVENTS_PER_PULL = 1000;

/** Records the events a pull answers, as they happen on this node. */
export function recordPulledEvents(events: EventStream, log: EventLog, logger: Logger): void {
  const fail = (err: unknown) => logger.error({ err }, 'recording a REST pull event failed');
  events.on('login', (e) => {
    log.append(e.app, 'user', { user_id: e.uid, type: 'Login', ms: e.ts }).catch(fail);
  });
  events.on('logout', (e) => {
    log.append(e.app, 'user', { user_id: e.uid, type: 'Logout', ms: e.ts }).catch(fail);
  });
  events.on('join', (e) => {
    const event = { group_id: e.channel, user_id: e.uid, type: 'Join', ms: e.ts };
    log.append(e.app, 'channel', event).catch(fail);
  });
  events.on('leave', (e) => {
    const event = { group_id: e.channel, user_id: e.uid, type: 'Leave', ms: e.ts };
    log.append(e.app, 'channel', event).catch(fail);
  });
}

export function eventRoutes(log: EventLog): Route[] {
  const base = '/dev/v2/project/{appId}/rtm/vendor';
  return [
    {
      name: 'user_events',
      method: 'GET',
      path: `${base}/user_events`,
      auth: 'operator',
      handle: async (ctx) => ({ events: await log.take(ctx.app, 'user', MAX_EVENTS_PER_PULL) }),
    },
    {
      name: 'channel_events',
      method: 'GET',
      path: `${base}/channel_events`,
      auth: 'operator',
      handle: async (ctx) => ({
        events: await log.take(ctx.app, 'channel', MAX_EVENTS_PER_PULL),
      }),
    },
  ];
}

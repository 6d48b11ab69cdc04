/**
 * The REST API of a node: Agora's RTM RESTful API under `/dev/v2/project/{appId}/rtm/` and
 * Parley's operations API under `/v1/`, one router over the route files of this folder.
 * `openapi.json` (in the package) describes every route and answer.
 */
import type http from 'node:http';
import type { Clock } from '@parley/protocol';
import type { Backend } from '../backend/backend.js';
import type { ServerConfig } from '../config.js';
import type { EventStream } from '../events.js';
import type { Logger } from '../log.js';
import type { Attributes } from '../services/attributes.js';
import type { Channels } from '../services/channels.js';
import type { Peers } from '../services/peers.js';
import type { Sessions } from '../sessions.js';
import { adminRoutes, type AdminView } from './admin-routes.js';
import { eventRoutes, recordPulledEvents } from './agora-events.js';
import { historyRoutes } from './agora-history.js';
import { messageRoutes } from './agora-messages.js';
import { RestAuth } from './auth.js';
import { channelRoutes } from './ops-channels.js';
import { userRoutes } from './ops-users.js';
import { RestRateLimit } from './rate-limit.js';
import { RestRouter, type Route } from './router.js';

export interface RestDeps {
  config: ServerConfig;
  backend: Backend;
  sessions: Sessions;
  peers: Peers;
  channels: Channels;
  attributes: Attributes;
  events: EventStream;
  admin: AdminView;
  clock: Clock;
  log: Logger;
}

/** Every route of the REST API (openapi.json documents each). */
export function restRoutes(d: RestDeps): Route[] {
  const { config, backend, clock } = d;
  return [
    ...messageRoutes(d.peers, d.channels, config),
    ...eventRoutes(backend.eventLog),
    ...historyRoutes(backend.history, config),
    ...userRoutes(backend, d.sessions, config, clock),
    ...channelRoutes(backend, d.attributes),
    ...adminRoutes(d.admin),
  ];
}

export class RestApi {
  private readonly router: RestRouter;

  constructor(d: RestDeps) {
    const { config, backend, clock } = d;
    if (config.restEventsMaxPerApp > 0) recordPulledEvents(d.events, backend.eventLog, d.log);
    this.router = new RestRouter(restRoutes(d), {
      auth: new RestAuth(config.restKeys, config.apps),
      rate: new RestRateLimit(config.restRatePerSecond, clock, backend.sharedRates),
      clock,
      events: d.events,
      log: d.log,
      maxBodyBytes: config.restMaxBodyBytes,
      apps: new Set(config.apps.map((a) => a.appId)),
      unavailable: (err) => backend.unavailable(err),
    });
  }

  /** Answers the request if it is a REST route; false otherwise. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    return this.router.handle(req, res);
  }
}

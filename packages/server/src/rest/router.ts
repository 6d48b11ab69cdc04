/**
 * The REST router: one table of routes (method, path template, who may call it, handler), the
 * checks every call goes through — authentication, the app id, the per-app rate limit — and
 * the answer, `{result, request_id, …}`, with a `rest.request` event for the metrics.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { isValidAppId, type Clock } from '@parley/protocol';
import type { EventStream } from '../events.js';
import type { Logger } from '../log.js';
import { RestError, badRequest, failure, sendJson, type SuccessBody } from './answers.js';
import type { Caller, RestAuth } from './auth.js';
import { readJsonObject } from './body.js';
import type { RestRateLimit } from './rate-limit.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestContext {
  readonly req: http.IncomingMessage;
  /** Path parameters by their name in the template, decoded. */
  readonly params: ReadonlyMap<string, string>;
  readonly query: URLSearchParams;
  /** The `{appId}` of the path ('' for routes without one). */
  readonly app: string;
  readonly caller: Caller;
  readonly now: number;
  /** The JSON body (refused past the size limit before parsing). */
  body(): Promise<Record<string, unknown>>;
}

export interface Route {
  /** Names the route in metrics (`parley_rest_requests_total{route}`). */
  name: string;
  method: Method;
  /** `/dev/v2/project/{appId}/rtm/users/{user_id}/peer_messages` */
  path: string;
  /** `operator`: Basic auth; `sender`: Basic auth or an RTM token (the handler checks the uid). */
  auth: 'operator' | 'sender';
  handle(ctx: RestContext): Promise<SuccessBody>;
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export interface RouterOptions {
  auth: RestAuth;
  rate: RestRateLimit;
  clock: Clock;
  events: EventStream;
  log: Logger;
  maxBodyBytes: number;
  /** App ids of this server; empty = open mode (any valid app id). */
  apps: ReadonlySet<string>;
  /** Whether an error says the shared store was unreachable. */
  unavailable: (err: unknown) => boolean;
}

/** The path prefixes the REST API owns: anything under them that no route takes is a 404. */
const PREFIXES = ['/dev/v2/project/', '/v1/'];

export class RestRouter {
  private readonly routes: Compiled[];

  constructor(
    routes: readonly Route[],
    private readonly o: RouterOptions,
  ) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** Answers the request if its path is the REST API's; false otherwise. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://rest');
    if (!PREFIXES.some((p) => url.pathname.startsWith(p))) return false;
    const requestId = randomUUID();
    let name = 'unknown';
    let app = '';
    const answer = (status: number, body: Record<string, unknown>, headers = {}) => {
      sendJson(res, status, body, headers);
      this.o.events.emit({
        type: 'rest.request',
        app,
        route: name,
        status,
        ts: this.o.clock.now(),
      });
    };
    const refuse = (e: RestError, headers = {}) => {
      req.resume();
      answer(e.status, failure(requestId, e), headers);
    };
    const found = this.match(req.method ?? 'GET', url.pathname);
    if (found instanceof RestError) {
      refuse(found, found.status === 405 ? { allow: this.allowed(url.pathname).join(', ') } : {});
      return true;
    }
    name = found.route.name;
    app = found.params.get('appId') ?? '';
    this.run(found, req, url)
      .then((body) => answer(200, { result: 'success', request_id: requestId, ...body }))
      .catch((err: unknown) => {
        // The Basic challenge only to a caller that sent no credentials: a browser answers it
        // with a password prompt, which a page whose fetch sent wrong ones must not get.
        const challenge =
          err instanceof RestError && err.status === 401 && !req.headers.authorization;
        if (err instanceof RestError) return refuse(err, challenge ? BASIC : {});
        if (this.o.unavailable(err)) {
          this.o.log.error({ err, route: name }, 'REST call failed (500): store unreachable');
          return refuse(
            new RestError(
              500,
              'unavailable',
              'the shared store is unreachable right now; try again',
            ),
          );
        }
        this.o.log.error({ err, route: name }, 'REST call failed (500)');
        refuse(new RestError(500, 'internal_error', 'internal error'));
      });
    return true;
  }

  private async run(
    found: { route: Route; params: Map<string, string> },
    req: http.IncomingMessage,
    url: URL,
  ): Promise<SuccessBody> {
    const { route, params } = found;
    const now = this.o.clock.now();
    const app = params.get('appId') ?? '';
    if (route.path.startsWith('/v1/') && !this.o.auth.hasKeys)
      throw new RestError(404, 'not_found', 'the operations API is off: set PARLEY_REST_KEYS');
    const caller =
      route.auth === 'operator'
        ? this.o.auth.operator(req)
        : this.o.auth.operatorOrUser(req, app, now);
    if (params.has('appId')) {
      if (!isValidAppId(app))
        throw badRequest('appId: must be 1-64 characters of A-Z a-z 0-9 _ . -');
      if (this.o.apps.size > 0 && !this.o.apps.has(app))
        throw badRequest(`appId: "${app}" is not an app of this server`);
      await this.o.rate.take(app);
    }
    const body = () => readJsonObject(req, this.o.maxBodyBytes);
    return route.handle({ req, params, query: url.searchParams, app, caller, now, body });
  }

  private match(
    method: string,
    path: string,
  ): { route: Route; params: Map<string, string> } | RestError {
    let pathMatched = false;
    for (const c of this.routes) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params = new Map<string, string>();
      try {
        c.names.forEach((n, k) => params.set(n, decodeURIComponent(m[k + 1]!)));
      } catch {
        return badRequest('path: bad percent-encoding');
      }
      return { route: c.route, params };
    }
    if (pathMatched)
      return new RestError(405, 'method_not_allowed', `method: ${method} is not allowed here`);
    return new RestError(404, 'not_found', `no route ${method} ${path}`);
  }

  private allowed(path: string): Method[] {
    return this.routes.filter((c) => c.pattern.test(path)).map((c) => c.route.method);
  }
}

const BASIC = { 'www-authenticate': 'Basic realm="parley"' };

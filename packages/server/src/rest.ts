/**
 * REST API for application servers (HTTP basic auth with PARLEY_REST_KEYS). This build has the
 * ban endpoint (F6); the rest of F30 grows here.
 *
 *   POST   /v1/apps/{appId}/users/{uid}/ban   {"durationSeconds": 1..2592000}  → kick + ban
 *   DELETE /v1/apps/{appId}/users/{uid}/ban                                  → lift the ban
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { ID_RULE, isValidAppId, isValidId, type Clock } from '@parley/protocol';
import type { ServerConfig } from './config.js';
import type { Sessions } from './sessions.js';

const BAN_PATH = /^\/v1\/apps\/([^/]+)\/users\/([^/]+)\/ban$/;

type Reply = (status: number, body: Record<string, unknown>) => void;

export class RestApi {
  private readonly credentials: Buffer[];

  constructor(
    private readonly config: ServerConfig,
    private readonly sessions: Sessions,
    private readonly clock: Clock,
  ) {
    this.credentials = config.restKeys.map((k) => Buffer.from(`${k.key}:${k.secret}`));
  }

  /** Answers the request if it is a REST route; false otherwise. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/v1/')) return false;
    const reply: Reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.credentials.length === 0) {
      reply(404, { result: 'failed', error: 'the REST API is off: set PARLEY_REST_KEYS' });
      return true;
    }
    if (!this.authorized(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Basic realm="parley"');
      reply(401, {
        result: 'failed',
        error: 'authorization: HTTP basic auth with a key:secret of PARLEY_REST_KEYS required',
      });
      return true;
    }
    const m = BAN_PATH.exec(path);
    if (!m) {
      reply(404, { result: 'failed', error: `no route ${req.method} ${path}` });
      return true;
    }
    let app: string;
    let uid: string;
    try {
      app = decodeURIComponent(m[1]!);
      uid = decodeURIComponent(m[2]!);
    } catch {
      reply(400, { result: 'failed', error: 'path: bad percent-encoding' });
      return true;
    }
    if (!isValidAppId(app))
      return (
        reply(400, {
          result: 'failed',
          error: 'appId: must be 1-64 characters of A-Z a-z 0-9 _ . -',
        }),
        true
      );
    if (!isValidId(uid))
      return (reply(400, { result: 'failed', error: `uid: must be ${ID_RULE}` }), true);
    if (req.method === 'DELETE') {
      this.sessions.ban(app, uid, 0).then(
        () => reply(200, { result: 'success' }),
        () => reply(500, { result: 'failed', error: 'internal error' }),
      );
      return true;
    }
    if (req.method !== 'POST')
      return (reply(405, { result: 'failed', error: 'method: POST or DELETE' }), true);
    const { restMaxBodyBytes, banDefaultSeconds, banMaxSeconds } = this.config;
    readJson(req, restMaxBodyBytes, (body) => {
      if (body === undefined)
        return reply(400, {
          result: 'failed',
          error: `body: must be a JSON object of at most ${restMaxBodyBytes} bytes`,
        });
      const seconds = (body as { durationSeconds?: unknown }).durationSeconds ?? banDefaultSeconds;
      if (
        !Number.isSafeInteger(seconds) ||
        (seconds as number) < 1 ||
        (seconds as number) > banMaxSeconds
      )
        return reply(400, {
          result: 'failed',
          error: `durationSeconds: must be an integer from 1 to ${banMaxSeconds}`,
        });
      const until = this.clock.now() + (seconds as number) * 1000;
      this.sessions.ban(app, uid, until).then(
        (kicked) => reply(200, { result: 'success', bannedUntil: until, kicked }),
        () => reply(500, { result: 'failed', error: 'internal error' }),
      );
    });
    return true;
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const given = Buffer.from(header.slice(6), 'base64');
    return this.credentials.some((c) => c.length === given.length && timingSafeEqual(c, given));
  }
}

function readJson(
  req: http.IncomingMessage,
  maxBytes: number,
  done: (body: object | undefined) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBytes) over = true;
    else chunks.push(c);
  });
  req.on('end', () => {
    if (over) return done(undefined);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return done({});
    try {
      const v: unknown = JSON.parse(text);
      done(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined);
    } catch {
      done(undefined);
    }
  });
  req.on('error', () => done(undefined));
}

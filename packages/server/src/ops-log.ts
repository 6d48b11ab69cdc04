/**
 * What an operator reads: the start line (where to connect, which backend, REST on or off, the
 * demo's URL) and a log line for each fact of the event stream an operator acts on — a session's
 * start and end with its reason, a ban or kick, a dead node. (Redis up/down is logged by the
 * Redis backend, 5xx answers by the REST router, uncaught errors by the CLI.)
 */
import os from 'node:os';
import type { ServerConfig } from './config.js';
import type { EventStream } from './events.js';
import type { Logger } from './log.js';

/** Logs the event stream's operator-facing facts; answers the function that stops it. */
export function logEvents(events: EventStream, log: Logger): () => void {
  const offs = [
    events.on('login', (e) =>
      log.info({ app: e.app, uid: e.uid, sid: e.sid, node: e.node }, 'session started'),
    ),
    events.on('logout', (e) =>
      log.info(
        { app: e.app, uid: e.uid, sid: e.sid, node: e.node, reason: e.reason },
        `session ended: ${e.reason}`,
      ),
    ),
    events.on('ban', (e) =>
      log.info(
        { app: e.app, uid: e.uid, untilMs: e.untilMs, kicked: e.kicked },
        e.untilMs === 0 ? 'ban lifted' : e.kicked ? 'banned and kicked' : 'banned',
      ),
    ),
    events.on('node.down', (e) =>
      log.warn({ node: e.node, sessions: e.sessions }, 'node down: its sessions ended'),
    ),
  ];
  return () => offs.forEach((off) => off());
}

/** A Redis URL fit for a log: its password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * The URLs clients connect to: the bound address, or when bound to every address, 127.0.0.1
 * and each of this machine's external IPv4 addresses.
 */
export function connectUrls(host: string, port: number, tls: boolean): string[] {
  const scheme = tls ? 'wss' : 'ws';
  if (host !== '0.0.0.0' && host !== '::' && host !== '')
    return [`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`];
  const hosts = ['127.0.0.1'];
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) hosts.push(a.address);
  return hosts.map((h) => `${scheme}://${h}:${port}`);
}

/** The start line's fields and text. */
export function startLine(
  config: ServerConfig,
  urls: readonly string[],
  node: string,
): { fields: Record<string, unknown>; msg: string } {
  const http = urls[0]!.replace(/^ws/, 'http');
  const backend = config.redisUrl
    ? `redis ${redactUrl(config.redisUrl)}`
    : `embedded SQLite in ${config.dataDir}`;
  const rest = config.restKeys.length > 0 ? 'on' : 'off (no PARLEY_REST_KEYS)';
  const mode =
    config.apps.length === 0 ? 'open mode (any appId, no token)' : `${config.apps.length} app(s)`;
  return {
    fields: {
      urls,
      url: urls[0],
      node,
      backend,
      rest: config.restKeys.length > 0,
      demo: `${http}/`,
      health: `${http}/healthz`,
      tls: config.tlsCert !== undefined,
      allowedOrigins: config.allowedOrigins.length > 0 ? config.allowedOrigins : 'any',
    },
    msg:
      `parley listening on ${urls.join(', ')} — ${mode}; backend: ${backend}; REST: ${rest}; ` +
      `demo: ${http}/`,
  };
}

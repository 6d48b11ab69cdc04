/**
 * Serves the browser demo and the SDK bundles (GET and HEAD), from the build output in the
 * repository (`npm run build` makes both):
 *
 * | path                       | file                                    |
 * | -------------------------- | --------------------------------------- |
 * | `/`                        | `apps/demo/dist/index.html`             |
 * | `/<name>`                  | `apps/demo/dist/<name>`                 |
 * | `/sdk/<name>`              | `packages/sdk/dist/browser/<name>`      |
 * | `/admin`, `/admin/`        | `apps/admin/dist/index.html`            |
 * | `/admin/<name>`            | `apps/admin/dist/<name>`                |
 *
 * The admin console's page holds nothing secret: every call it makes carries the REST keys.
 *
 * A name is one path segment of letters, digits, `.`, `_` and `-`, not starting with a dot, with
 * a known extension: nothing else can reach the disk, so no decoding or `..` can escape a root.
 * Answers false for any other path or method, so the gateway can go on to other routes; a name
 * that fits but is not there gets a plain 404.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from './log.js';

export interface StaticFilesOptions {
  /** The built demo page; default `apps/demo/dist` of this repository. */
  demoDir?: string;
  /** The built SDK browser bundles; default `packages/sdk/dist/browser` of this repository. */
  sdkDir?: string;
  /** The built admin console; default `apps/admin/dist` of this repository. */
  adminDir?: string;
}

// Both src/ and dist/ sit one level below packages/server, so one relative URL serves both. An
// installed package (npm pack) carries its copies in public/ (scripts/pack-static.mjs).
const repoRoot = new URL('../../../', import.meta.url);
const packaged = new URL('../public/', import.meta.url);
const dir = (inRepo: string, inPackage: string) => {
  const own = fileURLToPath(new URL(inPackage, packaged));
  return existsSync(own) ? own : fileURLToPath(new URL(inRepo, repoRoot));
};

export const defaultStaticDirs: Required<StaticFilesOptions> = {
  demoDir: dir('apps/demo/dist/', 'demo/'),
  sdkDir: dir('packages/sdk/dist/browser/', 'sdk/'),
  adminDir: dir('apps/admin/dist/', 'admin/'),
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The page talks only to its own origin (HTTP and WebSocket); no inline script or style. */
const htmlPolicy =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function createStaticFiles(
  options: StaticFilesOptions = {},
  log?: Logger,
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const dirs = { ...defaultStaticDirs, ...options };
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = resolve(dirs, (req.url ?? '/').split('?', 1)[0]!);
    if (file === undefined) return false;
    send(req, res, file).catch((err: unknown) => {
      log?.error({ err, path: req.url }, 'static file failed (500)');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    });
    return true;
  };
}

/** The file a URL path names, or undefined when the path is not one of ours. */
function resolve(dirs: Required<StaticFilesOptions>, urlPath: string): string | undefined {
  if (urlPath === '/') return path.join(dirs.demoDir, 'index.html');
  if (urlPath === '/admin' || urlPath === '/admin/') return path.join(dirs.adminDir, 'index.html');
  const [, dir, name] = /^\/(?:(sdk|admin)\/)?([^/]+)$/.exec(urlPath) ?? [];
  if (name === undefined || !NAME.test(name) || !(path.extname(name) in contentTypes))
    return undefined;
  const root = dir === 'sdk' ? dirs.sdkDir : dir === 'admin' ? dirs.adminDir : dirs.demoDir;
  return path.join(root, name);
}

async function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
): Promise<void> {
  let body: Buffer;
  let etag: string;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    etag = `W/"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    body = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      path.basename(file) === 'index.html'
        ? 'The page is not built: run `npm run build`.\n'
        : 'not found\n',
    );
    return;
  }
  const type = contentTypes[path.extname(file)]!;
  const headers: http.OutgoingHttpHeaders = {
    'content-type': type,
    // Revalidate every time: the build can change the files under a running server.
    'cache-control': 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = htmlPolicy;
    headers['referrer-policy'] = 'no-referrer';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createStaticFiles, defaultStaticDirs } from '../src/static-files.js';
import { buildWebAssets } from './browser-harness.js';
import { tempDir, testServer } from '@parley/testkit';
import type { RunningServer } from '../src/index.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes out byte for byte (fetch would normalise `..` away). */
function get(origin: string, rawPath: string, init: http.RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}/`, { ...init, path: rawPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the server serves the demo and the SDK bundles', () => {
  let server: RunningServer;
  let origin: string;

  before(async () => {
    await buildWebAssets();
    server = await testServer();
    origin = server.url.replace(/^ws/, 'http').replace(/\/$/, '');
  });
  after(() => server.close());

  test('/ is the demo page, as HTML that may only talk to its own origin', async () => {
    const r = await get(origin, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(
      r.body,
      fs.readFileSync(path.join(defaultStaticDirs.demoDir, 'index.html'), 'utf8'),
    );
    assert.match(r.body, /<script type="module" src="app\.js">/);
    assert.match(
      String(r.headers['content-security-policy']),
      /default-src 'self'; connect-src 'self'/,
    );
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal((await get(origin, '/?app=x')).status, 200, 'a query string is ignored');
  });

  test('the bundles and the page files carry their content types', async () => {
    const cases: [string, string, string][] = [
      ['/sdk/agora-rtm.iife.js', 'text/javascript; charset=utf-8', 'var AgoraRTM='],
      ['/sdk/agora-rtm.esm.js', 'text/javascript; charset=utf-8', 'as default'],
      ['/sdk/agora-rtm.esm.js.map', 'application/json; charset=utf-8', '"sources"'],
      ['/app.js', 'text/javascript; charset=utf-8', '/sdk/agora-rtm.esm.js'],
      ['/style.css', 'text/css; charset=utf-8', '--accent'],
      ['/favicon.svg', 'image/svg+xml', '<svg'],
    ];
    for (const [p, type, snippet] of cases) {
      const r = await get(origin, p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers['content-type'], type, p);
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body), p);
      assert.ok(r.body.includes(snippet), `${p} holds ${snippet}`);
      assert.equal(r.headers['content-security-policy'], undefined, `${p}: CSP is for pages`);
    }
  });

  test('the served IIFE bundle is the built file, byte for byte', async () => {
    const file = path.join(defaultStaticDirs.sdkDir, 'agora-rtm.iife.js');
    assert.equal((await get(origin, '/sdk/agora-rtm.iife.js')).body, fs.readFileSync(file, 'utf8'));
  });

  test('HEAD answers the headers without a body; a matching ETag gets 304', async () => {
    const head = await get(origin, '/sdk/agora-rtm.esm.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.ok(Number(head.headers['content-length']) > 1000);
    assert.equal(head.headers['cache-control'], 'no-cache');
    const etag = head.headers.etag!;
    assert.match(etag, /^W\/"/);
    const again = await get(origin, '/sdk/agora-rtm.esm.js', {
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  test('no path escapes the served folders, and unknown names are 404', async () => {
    for (const p of [
      '/sdk/../package.json',
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/sdk/%2e%2e%2fscripts%2fbrowser-bundles.ts',
      '/sdk/..%5c..%5cpackage.json',
      '/sdk/.%2e/.%2e/package.json',
      '/%2fetc%2fpasswd',
      '//etc/passwd',
      '/.gitignore',
      '/sdk/',
      '/sdk',
      '/main.ts',
      '/nope.js',
      '/sdk/nope.js',
      '/src/main.ts',
      '/index.html%00.js',
    ]) {
      const r = await get(origin, p);
      assert.equal(r.status, 404, p);
      assert.doesNotMatch(r.body, /"name"|root:|import /, `${p} leaked a file`);
    }
  });

  test('only GET and HEAD are served', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      assert.equal((await get(origin, '/', { method })).status, 404, method);
    }
  });
});

test('without a built demo, / answers 404 and says how to build it', async () => {
  const files = createStaticFiles({ demoDir: tempDir(), sdkDir: tempDir() });
  const server = http.createServer((req, res) => {
    if (!files(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await get(origin, '/');
    assert.equal(page.status, 404);
    assert.match(page.body, /npm run build/);
    assert.equal((await get(origin, '/sdk/agora-rtm.iife.js')).status, 404);
    assert.equal((await get(origin, '/healthz')).status, 418, 'other paths are not ours');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

/**
 * The log lines an operator reads (JSON, as pino writes them): a session's start and end with
 * its reason, a kick, a ban, a dead node, Redis going away and coming back, and a REST 500 with
 * its stack. The server runs in this process on a private Redis, logging into an array.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startServer } from '../src/index.js';
import {
  APP,
  killRedis,
  loggedIn,
  nodeProcess,
  privateRedis,
  RawSocket,
  uniquePrefix,
  until,
} from '@parley/testkit';

type Line = Record<string, unknown> & { level: number; msg: string };

test('sessions, kicks, bans, a dead node, Redis down and up, and a REST 500 are logged as JSON lines', async (t) => {
  let redis = await privateRedis();
  const redisUrl = `redis://127.0.0.1:${redis.port}`;
  const lines: Line[] = [];
  const log = pino(
    { level: 'info', base: { service: 'parley' } },
    { write: (s: string) => void lines.push(JSON.parse(s) as Line) },
  );
  const timers = { heartbeatMs: 200, resumeWindowMs: 1500, unreachableAfterMs: 600 };
  const prefix = uniquePrefix();
  const node = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      redisUrl,
      redisPrefix: prefix,
      restKeys: [{ key: 'ops', secret: 's3cret' }],
      ...timers,
    },
    log,
  ).catch(async (err: unknown) => {
    await killRedis(redis);
    throw err;
  });
  // The node closes first, then its Redis (the one running at the end): after hooks run in
  // the order they were added, and a node closing against a Redis already gone fails its
  // last commands after the test.
  t.after(async () => {
    await node.close();
    await killRedis(redis);
  });
  const find = (msg: RegExp, fields: Record<string, unknown> = {}) =>
    lines.find((l) => msg.test(l.msg) && Object.entries(fields).every(([k, v]) => l[k] === v));
  const wait = async (msg: RegExp, fields: Record<string, unknown> = {}) => {
    await until(() => find(msg, fields) !== undefined, `a log line ${msg}`, 20_000);
    return find(msg, fields)!;
  };

  // A session starts and ends (logout).
  const c = await loggedIn(node, 'log-a');
  const startLine = await wait(/^session started$/, { uid: 'log-a', app: APP });
  assert.equal(startLine.level, 30);
  assert.equal(typeof startLine.sid, 'string');
  await c.logout();
  await wait(/^session ended: logout$/, { uid: 'log-a', reason: 'logout' });

  // A kick and a ban over REST; each ends the session, with its reason.
  const auth = { authorization: 'Basic ' + Buffer.from('ops:s3cret').toString('base64') };
  const users = `http://127.0.0.1:${node.port}/v1/apps/${APP}/users`;
  const k = await loggedIn(node, 'log-k');
  assert.equal((await fetch(`${users}/log-k/kick`, { method: 'POST', headers: auth })).status, 200);
  await wait(/^kicked$/, { uid: 'log-k', kicked: true });
  await wait(/^session ended: banned$/, { uid: 'log-k' });
  k.removeAllListeners();
  const b = await loggedIn(node, 'log-b');
  const banned = await fetch(`${users}/log-b/ban`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ durationSeconds: 60 }),
  });
  assert.equal(banned.status, 200);
  const ban = await wait(/^banned and kicked$/, { uid: 'log-b' });
  assert.equal(ban.kicked, true);
  assert.ok((ban.untilMs as number) > Date.now());
  b.removeAllListeners();

  // A node dies: the survivor logs it, and the session it ended.
  const doomed = await nodeProcess(t, { redisUrl, redisPrefix: prefix, ...timers });
  const raw = await RawSocket.open(doomed.url);
  assert.equal((await raw.request({ t: 'login', i: 1, a: APP, u: 'log-dead' })).t, 'ok');
  await doomed.kill();
  const down = await wait(/^node down/, { sessions: 1 });
  assert.equal(down.level, 40);
  await wait(/^session ended: timeout$/, { uid: 'log-dead' });

  // Redis goes away: one line naming it; a REST call answers 500 and is logged with its stack.
  const port = redis.port;
  await killRedis(redis);
  const lost = await wait(/^Redis down: lost redis:\/\/127\.0\.0\.1:\d+/);
  assert.equal(lost.level, 50);
  const failed = await fetch(`${users}/log-x/ban`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(failed.status, 500);
  const fivexx = await wait(/^REST call failed \(500\)/);
  assert.equal(fivexx.level, 50);
  assert.match(String((fivexx.err as { stack?: string }).stack), /\n\s+at /);
  assert.equal(lines.filter((l) => /^Redis down/.test(l.msg)).length, 1);

  // It comes back: one line.
  redis = await privateRedis(port);
  await wait(/^Redis up again: redis:\/\/127\.0\.0\.1:\d+/);
});

test('a static file that fails to read answers 500 and is logged with its stack', async (t) => {
  const { createStaticFiles } = await import('../src/static-files.js');
  const http = await import('node:http');
  const lines: Line[] = [];
  const log = pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Line) },
  );
  // A file where a directory should be: reading `<file>/index.html` fails with ENOTDIR.
  const files = createStaticFiles({ demoDir: fileURLToPath(import.meta.url) }, log);
  const server = http.createServer((req, res) => void files(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 500);
  const line = lines.find((l) => l.msg === 'static file failed (500)');
  assert.ok(line);
  assert.equal(line.level, 50);
  assert.match(String((line.err as { stack: string }).stack), /ENOTDIR/);
});

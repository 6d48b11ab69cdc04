/**
 * The packages install like from a registry: each public package is packed (`npm pack`, which
 * builds it: prepack), the tarballs are installed into a fresh project in a temp dir outside the
 * repository, and there `npx parley-server` runs and a script imports @parley/sdk and
 * @parley/signaling and exchanges messages.
 *
 * better-sqlite3 is native: npm installs it with its prebuilt binary, which prebuild-install
 * fetches from GitHub (or, with no prebuilt for the platform, compiles it: about a minute). This
 * machine may not reach GitHub, so the test hands prebuild-install a local prebuild of the same
 * version (`npm_config_better_sqlite3_local_prebuilds`), made from the repository's own build.
 * The other dependencies come from npm's cache (`--prefer-offline`) or the registry.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { until } from '@parley/testkit';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['protocol', 'token', 'sdk', 'signaling', 'server'];

const EXCHANGE = `
import AgoraRTM from '@parley/sdk';
import Signal from '@parley/signaling';

const url = process.argv[2];
const rtm = AgoraRTM.createInstance('tarball_app', {
  serverUrl: url,
  logFilter: AgoraRTM.LOG_FILTER_OFF,
});
const fromSignal = new Promise((r) => rtm.on('MessageFromPeer', (m, peer) => r(peer + ': ' + m.text)));
await rtm.login({ uid: 'rtm-user' });
const session = Signal('tarball_app', { serverUrl: url }).login('sig-user', '_no_need_token');
const fromRtm = new Promise((r) => (session.onMessageInstantReceive = (account, _uid, msg) => r(account + ': ' + msg)));
await new Promise((resolve, reject) => {
  session.onLoginSuccess = resolve;
  session.onLoginFailed = (code) => reject(new Error('Signaling login failed: ' + code));
});
await rtm.sendMessageToPeer({ text: 'hello signaling' }, 'sig-user');
console.log('signaling got ' + (await fromRtm));
session.messageInstantSend('rtm-user', 'hello rtm');
console.log('rtm got ' + (await fromSignal));
session.logout();
await rtm.logout();
process.exit(0);
`;

test('the packed packages install in a fresh project: npx parley-server serves, the SDK and Signaling exchange messages', async (t) => {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tarballs-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const times: Record<string, number> = {};
  const lap = (name: string, since: number) => (times[name] = Date.now() - since);

  // Pack: `npm pack` runs each package's prepack (tsc -b; the SDK's browser bundles; the server's
  // copy of the demo, admin console and bundles), which needs the root build of the pages.
  let since = Date.now();
  await run('npm', ['run', 'build', '--silent'], { cwd: REPO });
  const tarballs: string[] = [];
  for (const p of PACKAGES) {
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], {
      cwd: path.join(REPO, 'packages', p),
    });
    const name = stdout.trim().split('\n').pop()!;
    assert.match(name, new RegExp(`^parley-${p}-\\d+\\.\\d+\\.\\d+\\.tgz$`));
    tarballs.push(path.join(dir, name));
  }
  lap('pack', since);
  assert.ok(!fs.existsSync(path.join(REPO, 'packages/server/public')), 'postpack cleaned up');

  // A local prebuild of better-sqlite3 (see above).
  const sqlite = path.join(REPO, 'node_modules/better-sqlite3');
  const sqliteVersion = (
    JSON.parse(fs.readFileSync(path.join(sqlite, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const prebuilds = path.join(dir, 'prebuilds');
  fs.mkdirSync(prebuilds);
  const prebuilt = `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['czf', path.join(prebuilds, prebuilt), 'build/Release/better_sqlite3.node'], {
    cwd: sqlite,
  });

  // A fresh project: what a newcomer's package.json holds (allowScripts approves better-sqlite3's
  // install script: npm 11.19 runs it either way, but warns when it is not approved).
  const app = path.join(dir, 'my-app');
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'my-app',
      private: true,
      type: 'module',
      allowScripts: { 'better-sqlite3': true },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_better_sqlite3_local_prebuilds: prebuilds,
  };
  delete env.NODE_OPTIONS;
  since = Date.now();
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], {
    cwd: app,
    env,
  });
  lap('install', since);
  for (const p of PACKAGES) {
    const root = path.join(app, 'node_modules/@parley', p);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      exports: { '.': { types: string; default: string } };
    };
    for (const f of [pkg.exports['.'].types, pkg.exports['.'].default, 'LICENSE', 'README.md'])
      assert.ok(fs.existsSync(path.join(root, f)), `@parley/${p} lacks ${f}`);
  }
  assert.ok(
    fs.existsSync(path.join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')),
  );

  // The types resolve from the installed packages: a TypeScript app using each one type-checks
  // (the repository's tsc, and its @types/node for the server's Node types).
  fs.writeFileSync(
    path.join(app, 'consumer.ts'),
    [
      "import AgoraRTM, { RtmClient } from '@parley/sdk';",
      "import Signal from '@parley/signaling';",
      "import { startServer, type RunningServer } from '@parley/server';",
      "import { buildRtmToken006 } from '@parley/token';",
      "import { Limits } from '@parley/protocol';",
      "const client: RtmClient = AgoraRTM.createInstance('app', { serverUrl: 'ws://x' });",
      "const session = Signal('app', { serverUrl: 'ws://x' }).login('u', '_no_need_token');",
      'const server: Promise<RunningServer> = startServer({ port: 0 });',
      'export { client, session, server, buildRtmToken006, Limits };',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [path.join(REPO, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['consumer.ts'],
    }),
  );
  since = Date.now();
  await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', app], {
    cwd: app,
  }).catch((err: { stdout?: string }) =>
    assert.fail(`the app does not type-check:\n${err.stdout}`),
  );
  lap('typecheck', since);

  // npx parley-server --version
  const { stdout: version } = await run('npx', ['--no-install', 'parley-server', '--version'], {
    cwd: app,
    env,
  });
  assert.equal(version, 'parley-server 0.1.0\n');

  // npx parley-server: the start line, /healthz, the demo page and the SDK bundle it serves.
  const server = spawn(
    'npx',
    ['--no-install', 'parley-server', '--port', '0', '--host', '127.0.0.1'],
    // Its own process group: npx runs the server as a child, and a signal to the group reaches it.
    { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, signal);
    } catch {
      // already gone
    }
  };
  t.after(() => group('SIGKILL'));
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /"port":\d+/.test(out) || server.exitCode !== null, 'the start line', 30_000);
  const port = Number(/"port":(\d+)/.exec(out)?.[1]);
  assert.ok(port > 0, out);
  const base = `http://127.0.0.1:${port}`;
  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  assert.equal((await fetch(`${base}/`)).status, 200, 'the demo page, from the package');
  assert.equal((await fetch(`${base}/sdk/agora-rtm.iife.js`)).status, 200);
  assert.ok(fs.existsSync(path.join(app, 'data')), 'embedded SQLite in ./data');

  // A script of the app imports both SDKs from node_modules and exchanges messages.
  fs.writeFileSync(path.join(app, 'exchange.mjs'), EXCHANGE);
  since = Date.now();
  const { stdout } = await run(process.execPath, ['exchange.mjs', `ws://127.0.0.1:${port}`], {
    cwd: app,
    env,
    timeout: 30_000,
  });
  lap('exchange', since);
  assert.match(stdout, /signaling got rtm-user: hello signaling/);
  assert.match(stdout, /rtm got sig-user: hello rtm/);
  // SIGTERM drains and stops it.
  const exited = new Promise((r) => server.on('exit', r));
  group('SIGTERM');
  await exited;
  await until(() => /"msg":"stopped"/.test(out), 'the server stopped', 10_000);
  lap('total', started);
  t.diagnostic(`ms: ${JSON.stringify(times)}`);
});

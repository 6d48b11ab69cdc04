/**
 * Operating `parley-server` as a command: --version, the JSON-only stdout and its start line,
 * a closed stdout, an unreachable Redis, TLS, allowed origins and the config file. Each test
 * runs the CLI (from source) as a child process.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '@parley/protocol';
import { loadConfig } from '../src/options.js';
import { SERVER_NODE_FLAGS } from '../src/node-flags.js';
import { tempDir, until } from '@parley/testkit';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', 'tsx'];

interface Cli {
  child: ChildProcess;
  out(): string;
  /** Every stdout line, each parsed as JSON (throws naming a line that is not). */
  lines(): Record<string, unknown>[];
  exited: Promise<number | null>;
}

function cli(t: TestContext, args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, [...NODE_ARGS, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    out: () => out + err,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            assert.fail(`stdout line is not JSON: ${l}`);
          }
        }),
    exited,
  };
}

const startLineOf = (c: Cli) => c.lines().find((l) => String(l.msg).startsWith('parley listening'));

async function started(c: Cli): Promise<Record<string, unknown>> {
  await until(
    () => startLineOf(c) !== undefined || c.child.exitCode !== null,
    'the start line',
    30_000,
  );
  const line = startLineOf(c);
  assert.ok(line, `no start line:\n${c.out()}`);
  return line;
}

test('--version and -v print the package version and exit 0', () => {
  const pkg = JSON.parse(
    execFileSync('cat', [new URL('../package.json', import.meta.url).pathname]).toString(),
  ) as { version: string };
  for (const flag of ['--version', '-v']) {
    const out = execFileSync(process.execPath, [...NODE_ARGS, CLI, flag]).toString();
    assert.equal(out, `parley-server ${pkg.version}\n`);
  }
});

test('stdout is JSON lines only; the start line names the URLs, the backend, REST and the demo', async (t) => {
  const c = cli(t, [
    '--port',
    '0',
    '--host',
    '0.0.0.0',
    '--data-dir',
    tempDir(),
    '--rest-keys',
    'k:s',
  ]);
  const line = await started(c);
  const port = line.port as number;
  const urls = line.urls as string[];
  assert.equal(urls[0], `ws://127.0.0.1:${port}`);
  assert.ok(
    urls.every((u) => !u.includes('0.0.0.0')),
    urls.join(),
  );
  assert.match(String(line.backend), /^embedded SQLite in /);
  assert.equal(line.rest, true);
  assert.equal(line.demo, `http://127.0.0.1:${port}/`);
  assert.match(String(line.msg), /REST: on/);
  assert.match(String(line.msg), new RegExp(`demo: http://127\\.0\\.0\\.1:${port}/`));
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  c.child.kill('SIGTERM');
  assert.equal(await c.exited, 0);
  assert.ok(c.lines().some((l) => l.msg === 'stopped'));
});

test('a Redis backend is named without its password; REST off is said', async (t) => {
  const c = cli(t, [
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    tempDir(),
    '--redis',
    'redis://:hunter2@127.0.0.1:6379/0',
    '--redis-prefix',
    `ops-${process.pid}:`,
  ]);
  const line = await started(c);
  assert.equal(line.backend, 'redis redis://:***@127.0.0.1:6379/0');
  assert.equal(line.rest, false);
  assert.doesNotMatch(c.out(), /hunter2/);
});

test('an unreachable Redis at start is one JSON line naming the URL, then exit 1', async (t) => {
  const c = cli(t, [
    '--port',
    '0',
    '--data-dir',
    tempDir(),
    '--redis',
    'redis://:hunter2@127.0.0.1:1/',
  ]);
  assert.equal(await c.exited, 1);
  const lines = c.lines();
  assert.equal(lines.length, 1, c.out());
  assert.match(
    String(lines[0]!.msg),
    /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/: connect ECONNREFUSED/,
  );
  assert.doesNotMatch(c.out(), /hunter2|ioredis|    at /);
});

test('a closed stdout (EPIPE) does not stop the server', async (t) => {
  const c = cli(t, ['--port', '0', '--host', '127.0.0.1', '--data-dir', tempDir()]);
  const port = (await started(c)).port as number;
  c.child.stdout!.destroy();
  // Each connection and login logs a line into the closed pipe.
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
    await login(`ws://127.0.0.1:${port}`, `epipe-${i}`);
  }
  assert.equal(c.child.exitCode, null);
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
});

test('`parley-server | head -n 1`: the reader goes away after the start line; the server carries on', async (t) => {
  // A shell pipeline, as an operator types it; its own process group, so the test can end it.
  const cmd = [
    process.execPath,
    ...NODE_ARGS,
    CLI,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    tempDir(),
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  const sh = spawn('sh', ['-c', `${cmd} | head -n 1`], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  t.after(() => process.kill(-sh.pid!, 'SIGKILL'));
  let out = '';
  sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /"port":\d+/.test(out), 'the first line, through head', 30_000);
  const port = Number(/"port":(\d+)/.exec(out)![1]);
  // head has exited: every line from here on meets a closed pipe.
  for (let i = 0; i < 5; i++) {
    await login(`ws://127.0.0.1:${port}`, `head-${i}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  }
});

/** Logs in over a raw socket and closes it (a session start and end). */
async function login(
  url: string,
  uid: string,
  options: WebSocket.ClientOptions = {},
): Promise<void> {
  const ws = new WebSocket(url, SUBPROTOCOL, options);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ t: 'login', i: 1, a: 'ops_app', u: uid })));
    ws.once('message', (d: Buffer) => {
      const f = JSON.parse(d.toString()) as { t: string };
      if (f.t === 'ok') resolve();
      else reject(new Error(d.toString()));
    });
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed (${code}) before the login answer`)));
  });
  ws.close();
}

test('PARLEY_TLS_CERT / PARLEY_TLS_KEY: https and wss, and the SDK logs in over wss', async (t) => {
  const dir = tempDir();
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const c = cli(t, ['--port', '0', '--host', '127.0.0.1', '--data-dir', tempDir()], {
    PARLEY_TLS_CERT: cert,
    PARLEY_TLS_KEY: key,
  });
  const line = await started(c);
  const port = line.port as number;
  assert.equal(line.url, `wss://127.0.0.1:${port}`);
  assert.equal(line.demo, `https://127.0.0.1:${port}/`);
  // The SDK, in a child process trusting the certificate (NODE_EXTRA_CA_CERTS), over wss.
  const script = `
    import AgoraRTM from '@parley/sdk';
    const a = AgoraRTM.createInstance('tls_app', { serverUrl: 'wss://localhost:${port}', logFilter: AgoraRTM.LOG_FILTER_OFF });
    const b = AgoraRTM.createInstance('tls_app', { serverUrl: 'wss://localhost:${port}', logFilter: AgoraRTM.LOG_FILTER_OFF });
    const got = new Promise((r) => b.on('MessageFromPeer', (m) => r(m.text)));
    await a.login({ uid: 'tls-a' });
    await b.login({ uid: 'tls-b' });
    await a.sendMessageToPeer({ text: 'over tls' }, 'tls-b');
    console.log('GOT ' + (await got));
    const h = await fetch('https://localhost:${port}/healthz');
    console.log('HEALTH ' + h.status);
    await a.logout(); await b.logout();
  `;
  const out = execFileSync(process.execPath, [...NODE_ARGS, '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
    timeout: 30_000,
  }).toString();
  assert.match(out, /GOT over tls/);
  assert.match(out, /HEALTH 200/);
  // Plain ws to the TLS port does not get a session.
  await assert.rejects(login(`ws://127.0.0.1:${port}`, 'plain'));
});

test('PARLEY_ALLOWED_ORIGINS: a listed origin connects, another gets 403 with a clear body, no Origin connects', async (t) => {
  const c = cli(t, ['--port', '0', '--host', '127.0.0.1', '--data-dir', tempDir()], {
    PARLEY_ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173',
  });
  const line = await started(c);
  const url = `ws://127.0.0.1:${line.port as number}`;
  assert.deepEqual(line.allowedOrigins, ['https://app.example.com', 'http://localhost:5173']);
  await login(url, 'o-ok', { origin: 'https://app.example.com' });
  await login(url, 'o-none');
  const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(url, SUBPROTOCOL, { origin: 'https://evil.example' });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => reject(new Error('a refused origin connected')));
    ws.on('error', () => {});
  });
  assert.equal(refused.status, 403);
  assert.match(
    refused.body,
    /origin https:\/\/evil\.example is not allowed to connect \(PARLEY_ALLOWED_ORIGINS\)/,
  );
});

test('a bad origin in PARLEY_ALLOWED_ORIGINS is named', () => {
  assert.throws(
    () => loadConfig({ PARLEY_ALLOWED_ORIGINS: 'https://a.example/path' }, []),
    /PARLEY_ALLOWED_ORIGINS\/--allowed-origins: "https:\/\/a\.example\/path" is not an origin/,
  );
  assert.throws(
    () => loadConfig({ PARLEY_ALLOWED_ORIGINS: 'nope' }, []),
    /"nope" is not an origin/,
  );
});

test('--config parley.json: same names as the flags; env vars win over it, flags over both', async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'parley.json');
  writeFileSync(
    file,
    JSON.stringify({
      port: 7001,
      host: '127.0.0.1',
      'heartbeat-ms': 1000,
      'resume-window-ms': 5000,
      'rest-keys': ['a:b', 'c:d'],
    }),
  );
  const c = loadConfig({ PARLEY_HEARTBEAT_MS: '1500', PORT: '7002' }, [
    '--config',
    file,
    '--port',
    '7003',
  ]);
  assert.equal(c.port, 7003); // flag over env over file
  assert.equal(c.heartbeatMs, 1500); // env over file
  assert.equal(c.resumeWindowMs, 5000); // file over default
  assert.equal(c.host, '127.0.0.1');
  assert.deepEqual(c.restKeys, [
    { key: 'a', secret: 'b' },
    { key: 'c', secret: 'd' },
  ]);
  assert.equal(loadConfig({ PARLEY_CONFIG: file }, []).port, 7001);
  writeFileSync(file, JSON.stringify({ 'heartbeat-ms': 'soon' }));
  assert.throws(
    () => loadConfig({}, ['--config', file]),
    /parley\.json: "heartbeat-ms": "soon" is not a non-negative integer/,
  );
  writeFileSync(file, JSON.stringify({ heartbeat: 1 }));
  assert.throws(
    () => loadConfig({}, ['--config', file]),
    /parley\.json: unknown option "heartbeat"/,
  );
  writeFileSync(file, '{ nope');
  assert.throws(() => loadConfig({}, ['--config', file]), /config file .*parley\.json: /);
  // The command takes it too: the port of the file's choosing.
  writeFileSync(
    file,
    JSON.stringify({ port: 0, host: '127.0.0.1', 'data-dir': tempDir(), 'rest-keys': 'x:y' }),
  );
  const run = cli(t, ['--config', file]);
  const line = await started(run);
  assert.equal(line.rest, true);
  assert.equal(line.url, `ws://127.0.0.1:${line.port as number}`);
});

test('deploy/: the sample config loads, the systemd unit and the Dockerfile start the package bin', async () => {
  const { readFileSync } = await import('node:fs');
  const deploy = (f: string) => fileURLToPath(new URL(`../../../deploy/${f}`, import.meta.url));
  const c = loadConfig({}, ['--config', deploy('parley.json')]);
  assert.equal(c.dataDir, '/var/lib/parley');
  assert.equal(c.port, 8080);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    bin: Record<string, string>;
  };
  const bin = `node_modules/@parley/server/${pkg.bin['parley-server']!.replace(/^\.\//, '')}`;
  const unit = readFileSync(deploy('parley.service'), 'utf8');
  assert.match(
    unit,
    new RegExp(
      `^ExecStart=/usr/bin/node ${SERVER_NODE_FLAGS.join(' ')} /opt/parley/${bin} --config /etc/parley/parley.json$`,
      'm',
    ),
  );
  assert.match(unit, /^KillSignal=SIGTERM$/m);
  // systemd's own check of the unit, where systemd is installed (it reports, never fails).
  const verify = spawnSync('systemd-analyze', ['verify', deploy('parley.service')], {
    encoding: 'utf8',
  });
  if (!verify.error)
    assert.equal(verify.stderr.trim() + verify.stdout.trim(), '', 'systemd-analyze');
  const docker = readFileSync(deploy('Dockerfile'), 'utf8');
  assert.ok(docker.includes(`"/opt/parley/${bin}"`), 'the Dockerfile CMD runs the bin');
});

test('an uncaught exception is one JSON line with its stack, then exit 1; an unhandled rejection is logged and stops nothing', async (t) => {
  // Preloaded into the CLI: SIGHUP rejects a promise nobody handles, SIGUSR2 throws.
  const inject =
    'data:text/javascript,' +
    encodeURIComponent(
      "process.on('SIGHUP', () => { Promise.reject(new Error('injected rejection')); });" +
        "process.on('SIGUSR2', () => { throw new Error('injected boom'); });",
    );
  const child = spawn(
    process.execPath,
    [
      ...NODE_ARGS,
      '--import',
      inject,
      CLI,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      tempDir(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await until(() => /"port":(\d+)/.test(out), 'the start line', 30_000);
  const port = Number(/"port":(\d+)/.exec(out)![1]);
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  child.kill('SIGHUP');
  await until(
    () => lines().some((l) => l.msg === 'unhandled promise rejection'),
    'the rejection line',
  );
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  child.kill('SIGUSR2');
  assert.equal(await exited, 1);
  const boom = lines().find((l) => l.msg === 'uncaught exception: injected boom');
  assert.ok(boom, out);
  assert.equal(boom.level, 60);
  assert.match(String((boom.err as { stack: string }).stack), /Error: injected boom\n\s+at /);
});

test('a TLS certificate without its key, or an unreadable one, is refused at start, named', async () => {
  const { startServer } = await import('../src/index.js');
  const base = { port: 0, host: '127.0.0.1', dataDir: tempDir(), logLevel: 'silent' };
  await assert.rejects(
    startServer({ ...base, tlsCert: '/nonexistent/cert.pem' }),
    /PARLEY_TLS_CERT and PARLEY_TLS_KEY go together/,
  );
  await assert.rejects(
    startServer({ ...base, tlsCert: '/nonexistent/cert.pem', tlsKey: '/nonexistent/key.pem' }),
    /PARLEY_TLS_CERT: cannot read \/nonexistent\/cert\.pem/,
  );
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/options.js';
import { loggedIn, tempDir, until } from '@parley/testkit';

test('env vars and flags configure the server; flags win; bad values are named', () => {
  const c = loadConfig({ PORT: '9000', PARLEY_APPS: 'a1,a2:cert2', PARLEY_REST_KEYS: 'k:s' }, [
    '--port',
    '0',
    '--data-dir=/tmp/x',
  ]);
  assert.equal(c.port, 0);
  assert.equal(c.dataDir, '/tmp/x');
  assert.deepEqual(c.apps, [{ appId: 'a1' }, { appId: 'a2', appCertificate: 'cert2' }]);
  assert.deepEqual(c.restKeys, [{ key: 'k', secret: 's' }]);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.resumeWindowMs, 30_000);
  assert.throws(() => loadConfig({ PORT: 'abc' }, []), /PORT\/--port/);
  assert.throws(() => loadConfig({}, ['--nope']), /unknown option --nope/);
});

test('parley-server prints its URL, answers /healthz, and exits 0 on SIGTERM after telling clients to reconnect', async (t) => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      cli,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      tempDir(),
      '--log-level',
      'warn',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /listening on ws:\/\/127\.0\.0\.1:\d+/.test(out), 'the URL line', 20_000);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const c = await loggedIn(`ws://127.0.0.1:${port}`, 'cli-user');
  const states: string[] = [];
  c.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  await until(() => states.length > 0, 'the client notices');
  assert.deepEqual(states, ['RECONNECTING/INTERRUPTED']);
  await c.logout();
});

test('the README configuration table lists every option with its env var, flag and default', async () => {
  const { readFile } = await import('node:fs/promises');
  const { OPTIONS } = await import('../src/options.js');
  const { DEFAULTS } = await import('../src/config.js');
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const o of OPTIONS) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${o.env}\``));
    assert.ok(row, `README lacks a row for ${o.env}`);
    assert.ok(row.includes(`\`${o.flag}\``), `README row of ${o.env} lacks ${o.flag}`);
    const value = DEFAULTS[o.key];
    if (typeof value === 'number')
      assert.ok(row.includes(`\`${value}\``), `README row of ${o.env} lacks its default ${value}`);
  }
});

/**
 * parley-server runs with SERVER_NODE_FLAGS however it is started: its `#!` line (the npm bin),
 * `npm start`, the Docker image and the systemd unit all pass the same flags.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../src/node-flags.js';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

test('every way of starting parley-server passes SERVER_NODE_FLAGS to node', () => {
  assert.ok(SERVER_NODE_FLAGS.length > 0);
  const flags = SERVER_NODE_FLAGS.join(' ');
  const starts = new Map<string, string>([
    ['the #! line of cli.ts', read('packages/server/src/cli.ts').split('\n', 1)[0]!],
    [
      'npm start',
      (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start,
    ],
    [
      'deploy/Dockerfile CMD',
      read('deploy/Dockerfile')
        .split('\n')
        .find((l) => l.startsWith('CMD '))!,
    ],
    [
      'deploy/parley.service',
      read('deploy/parley.service')
        .split('\n')
        .find((l) => l.startsWith('ExecStart='))!,
    ],
  ]);
  assert.equal(starts.get('the #! line of cli.ts'), `#!/usr/bin/env -S node ${flags}`);
  assert.match(
    starts.get('npm start')!,
    new RegExp(`\\bnode ${flags} packages/server/dist/cli\\.js`),
  );
  assert.match(
    starts.get('deploy/Dockerfile CMD')!,
    new RegExp(`\\["node", ${SERVER_NODE_FLAGS.map((f) => `"${f}"`).join(', ')}, "`),
  );
  assert.match(starts.get('deploy/parley.service')!, new RegExp(`/node ${flags} /`));
});

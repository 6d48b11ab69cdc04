/**
 * The README's Signaling snippet, as pasted: saved as `hello.mjs` in a project that has
 * `@parley/signaling`, pointed at a live server (only the URL is replaced), it runs to its end:
 * the user list, the echo of `hello` (sent once joined) and `logged out 101`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signalUid } from '@parley/signaling';
import { tempDir, testServer } from '@parley/testkit';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The first ```ts block of the README's "Legacy Signaling API" section. */
function snippet(): string {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Legacy Signaling API'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'a ts block in the Signaling section');
  return block[1]!;
}

test("the README's Signaling snippet runs as pasted: joined, hello delivered, logged out", async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const code = snippet();
  assert.match(code, /ws:\/\/localhost:8080/);
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'node_modules', '@parley'), { recursive: true });
  fs.symlinkSync(
    path.join(repo, 'packages', 'signaling'),
    path.join(dir, 'node_modules', '@parley', 'signaling'),
  );
  const file = path.join(dir, 'hello.mjs');
  fs.writeFileSync(file, code.replace('ws://localhost:8080', server.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', import.meta.resolve('tsx'), file],
    { cwd: dir, timeout: 60_000 },
  );
  const lines = stdout.trim().split('\n');
  assert.deepEqual(lines, [
    `[ [ 'alice', ${signalUid('alice')} ] ]`,
    'alice hello',
    'logged out 101',
  ]);
});

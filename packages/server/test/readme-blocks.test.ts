/**
 * The README's runnable code blocks run as pasted, against a live server. A block is runnable
 * when the line before its fence (blank lines aside) is an HTML comment:
 *
 *   <!-- runnable -->                     the block's top level runs to its end without throwing
 *   <!-- runnable: prints "alice hello" --> ... and (callbacks included) it prints that text
 *
 * `ws://localhost:8080` / `http://localhost:8080` in a block become the test server's URL. Each
 * block runs as its own TypeScript module (tsx) from `test-output/readme/`, where `@parley/*`
 * resolve to this repository's packages.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testServer } from '@parley/testkit';
import type { RunningServer } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = path.join(REPO, 'test-output/readme');
const RUN_TIMEOUT_MS = 20_000;

interface Block {
  line: number;
  lang: string;
  code: string;
  prints?: string;
}

/** The runnable blocks of a Markdown text. */
export function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*runnable(?::\s*prints\s+"([^"]*)")?\s*-->\s*$/.exec(lines[i]!);
    if (!marker) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    const fence = /^(`{3,})(\w+)/.exec(lines[j] ?? '');
    assert.ok(fence, `README line ${i + 1}: a runnable marker not followed by a code block`);
    const end = lines.findIndex((l, k) => k > j && l.startsWith(fence[1]!));
    assert.ok(end > j, `README line ${j + 1}: the code block does not end`);
    blocks.push({
      line: j + 1,
      lang: fence[2]!,
      code: lines.slice(j + 1, end).join('\n'),
      prints: marker[1],
    });
    i = end;
  }
  return blocks;
}

/** Runs one block; resolves with what it printed, rejects saying why it failed. */
function runBlock(block: Block, server: RunningServer): Promise<string> {
  assert.ok(['ts', 'js'].includes(block.lang), `README line ${block.line}: runs ts or js only`);
  const http = server.url.replace(/^ws/, 'http');
  let code = block.code
    .replaceAll('ws://localhost:8080', server.url)
    .replaceAll('http://localhost:8080', http);
  // A block without an expected output is done when its top level is: then the process exits.
  if (block.prints === undefined) code += '\n\nprocess.exit(0);\n';
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `line-${block.line}.${block.lang === 'ts' ? 'mts' : 'mjs'}`);
  fs.writeFileSync(file, code);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
    cwd: OUT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`README line ${block.line}: no result in ${RUN_TIMEOUT_MS} ms\n${out}\n${err}`),
      );
    }, RUN_TIMEOUT_MS);
    const check = () => {
      if (block.prints !== undefined && out.includes(block.prints)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(out);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (status) => {
      clearTimeout(timer);
      if (block.prints !== undefined && out.includes(block.prints)) return resolve(out);
      if (status === 0 && block.prints === undefined) return resolve(out);
      reject(
        new Error(
          `README line ${block.line} exited ${status}` +
            (block.prints !== undefined ? ` without printing "${block.prints}"` : '') +
            `\nstdout:\n${out}\nstderr:\n${err}`,
        ),
      );
    });
  });
}

describe('README code blocks marked runnable', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const blocks = runnableBlocks(readme);
  let server: RunningServer;
  before(async () => (server = await testServer()));
  after(() => server.close());

  test('the README marks its blocks that must run as pasted', () => {
    assert.ok(blocks.length >= 1, 'no block marked <!-- runnable -->');
  });

  for (const block of blocks)
    test(`README line ${block.line} runs as pasted`, async () => {
      await runBlock(block, server);
    });

  test('the runner fails a block that throws, and one that does not print what it says', async () => {
    await assert.rejects(
      runBlock({ line: 0, lang: 'ts', code: "throw new Error('boom');" }, server),
      /exited 1[\s\S]*boom/,
    );
    await assert.rejects(
      runBlock({ line: -1, lang: 'js', code: "console.log('other');", prints: 'expected' }, server),
      /without printing "expected"/,
    );
    assert.equal(
      await runBlock({ line: -2, lang: 'js', code: "console.log('yes');", prints: 'yes' }, server),
      'yes\n',
    );
  });
});

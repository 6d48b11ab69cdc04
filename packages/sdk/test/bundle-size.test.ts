import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import AgoraRTM from '../src/index.js';
import { buildBrowserBundles, type BuiltBundle } from '../scripts/browser-bundles.js';

/** The budget of issue 5: minified + gzip, per bundle. */
const maxGzipBytes = 30 * 1024;

let bundles: Record<'esm' | 'iife', BuiltBundle>;

before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bundles-'));
  const built = await buildBrowserBundles(dir);
  bundles = Object.fromEntries(built.map((b) => [b.format, b])) as typeof bundles;
});

test('each browser bundle stays under 30 KB minified + gzip', () => {
  for (const b of Object.values(bundles)) {
    const gzipBytes = gzipSync(b.code).length;
    console.log(`${path.basename(b.file)}: ${b.code.length} B minified, ${gzipBytes} B gzip`);
    assert.ok(gzipBytes < maxGzipBytes, `${b.format}: ${gzipBytes} B gzip >= ${maxGzipBytes} B`);
    assert.ok(b.code.length > 5_000, `${b.format}: suspiciously small (${b.code.length} B)`);
    assert.match(b.code, /\/\/# sourceMappingURL=agora-rtm\.(esm|iife)\.js\.map\s*$/);
  }
});

test('the bundles hold no Node built-in, no ws and not the Node transport', () => {
  for (const b of Object.values(bundles)) {
    assert.ok(
      b.inputs.some((p) => p.endsWith('sdk/src/client.ts')),
      'client.ts is bundled',
    );
    assert.ok(
      b.inputs.some((p) => p.endsWith('protocol/src/index.ts')),
      'protocol is inlined',
    );
    assert.deepEqual(
      b.inputs.filter((p) => p.includes('node_modules/') || p.endsWith('transport-node.ts')),
      [],
    );
    assert.doesNotMatch(b.code, /\brequire\(|from\s*["'](node:|ws["'])|import\(/);
  }
  assert.doesNotMatch(
    bundles.iife.code,
    /\b(import|export)\s*[{*]/,
    'the IIFE is a classic script',
  );
});

test('the IIFE sets a global AgoraRTM with every member of the default export', () => {
  const window: Record<string, unknown> = {};
  vm.runInNewContext(bundles.iife.code, window);
  const g = window.AgoraRTM as Record<string, unknown>;
  assert.equal(typeof g, 'object');
  assertSameMembers(g, 'IIFE global');
  assert.equal(typeof g.RtmClient, 'function', 'named exports are there too');
});

test('the ESM bundle default-exports AgoraRTM with every member of the default export', async () => {
  // The map's relative URL means nothing under a data: URL, so it goes.
  const code = bundles.esm.code.replace(/\/\/# sourceMappingURL=.*\s*$/, '');
  const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
  const mod = (await import(url)) as { default: Record<string, unknown>; RtmClient: unknown };
  assertSameMembers(mod.default, 'ESM default export');
  assert.equal(typeof mod.RtmClient, 'function');
});

/** Compares with the source's default export: functions by kind, constants and enums by value. */
function assertSameMembers(got: Record<string, unknown>, what: string): void {
  const want = AgoraRTM as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(want)) {
    if (typeof value === 'function') assert.equal(typeof got[key], 'function', `${what}.${key}`);
    // JSON round trip: the values come from another realm (vm) or another module instance.
    else assert.deepEqual(JSON.parse(JSON.stringify(got[key])), value, `${what}.${key}`);
  }
}

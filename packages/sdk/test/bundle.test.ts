import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

test('the SDK bundles for browsers with no Node built-ins and no ws', async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    minify: true,
    metafile: true,
    conditions: ['source'],
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.endsWith('sdk/src/client.ts')));
  assert.ok(!inputs.some((p) => p.includes('node_modules/ws/')), 'ws must not be bundled');
  assert.ok(!inputs.some((p) => p.endsWith('transport-node.ts')), 'the Node transport stays out');
  const code = result.outputFiles[0]!.text;
  assert.doesNotMatch(code, /from\s*["']node:/);
});

test('the SDK does not bundle for browsers when a core file imports a Node built-in', async () => {
  // The check above would pass vacuously if esbuild silently polyfilled; show it refuses instead.
  await assert.rejects(
    build({
      stdin: { contents: "import 'node:crypto'; export {};", resolveDir: '.', loader: 'ts' },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }),
  );
});

/**
 * Builds the demo page into `apps/demo/dist/`: `app.js` from `src/` (its `@parley/sdk` import
 * becomes the SDK's ESM bundle, `/sdk/agora-rtm.esm.js`, which the server serves beside it),
 * plus the static files. The server serves this folder at `/`.
 *
 * Run: `node --import tsx apps/demo/build.ts` (after the SDK's browser bundles).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const defaultDemoDir = fileURLToPath(new URL('./dist/', import.meta.url));

/** Where the page loads the SDK from: the ESM bundle the server serves. */
export const sdkBundlePath = '/sdk/agora-rtm.esm.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const staticFiles = ['index.html', 'style.css', 'favicon.svg'];

const sdkFromServer: Plugin = {
  name: 'sdk-from-server',
  setup(b) {
    b.onResolve({ filter: /^@parley\/sdk$/ }, () => ({ path: sdkBundlePath, external: true }));
  },
};

/** Builds the page; answers the files written. */
export async function buildDemo(outDir = defaultDemoDir): Promise<string[]> {
  await fs.mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    plugins: [sdkFromServer],
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  await Promise.all(staticFiles.map((f) => fs.copyFile(path.join(here, f), path.join(outDir, f))));
  return ['app.js', 'app.js.map', ...staticFiles].map((f) => path.join(outDir, f));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await buildDemo(process.argv[2]);
  console.log(files.map((f) => path.relative(process.cwd(), f)).join('\n'));
}

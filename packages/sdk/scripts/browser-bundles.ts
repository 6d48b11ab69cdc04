/**
 * Builds the SDK's browser bundles from source into `packages/sdk/dist/browser/`:
 * `agora-rtm.esm.js`, an ES module whose default export is AgoraRTM, and `agora-rtm.iife.js`,
 * a classic script that sets the global `AgoraRTM`. Both minified, each with a source map.
 *
 * Run: `node --import tsx packages/sdk/scripts/browser-bundles.ts [outDir]`
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Format } from 'esbuild';

export const defaultBrowserDir = fileURLToPath(new URL('../dist/browser/', import.meta.url));

export const bundleFiles = { esm: 'agora-rtm.esm.js', iife: 'agora-rtm.iife.js' } as const;

export type BundleFormat = keyof typeof bundleFiles;

export interface BuiltBundle {
  format: BundleFormat;
  /** Where the bundle was written. */
  file: string;
  /** The minified code, as written. */
  code: string;
  /** Every source file that went into the bundle, relative to the working directory. */
  inputs: string[];
}

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/**
 * Builds both bundles. The IIFE's global is the module namespace, so `AgoraRTM.createInstance`,
 * the enums and `VERSION` sit on it as on agora-rtm-sdk's global, next to the named exports
 * (`AgoraRTM.RtmClient`, the error classes).
 */
export async function buildBrowserBundles(outDir = defaultBrowserDir): Promise<BuiltBundle[]> {
  await fs.mkdir(outDir, { recursive: true });
  return Promise.all([buildOne('esm', outDir), buildOne('iife', outDir)]);
}

async function buildOne(format: BundleFormat, outDir: string): Promise<BuiltBundle> {
  const file = path.join(outDir, bundleFiles[format]);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: format satisfies Format,
    ...(format === 'iife' ? { globalName: 'AgoraRTM' } : {}),
    platform: 'browser',
    // Current browsers run ES2022 natively; nothing is downlevelled.
    target: 'es2022',
    // Workspace packages resolve to their TypeScript sources: no `tsc` build needed first.
    conditions: ['source'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  let code = '';
  for (const out of result.outputFiles) {
    await fs.writeFile(out.path, out.contents);
    if (out.path === file) code = out.text;
  }
  return { format, file, code, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const b of await buildBrowserBundles(process.argv[2])) {
    console.log(`${path.relative(process.cwd(), b.file)}  ${b.code.length} bytes`);
  }
}

/**
 * Builds the SDK's browser bundles from source into `packages/sdk/dist/browser/`:
 * `agora-rtm.esm.js`, an ES module whose default export is AgoraRTM, and `agora-rtm.iife.js`,
 * a classic script that sets the global `AgoraRTM`; and the legacy Signaling layer's:
 * `agora-sig.js`, a classic script that sets the global `Signal` as Agora's `AgoraSig.js` did,
 * and `agora-sig.esm.js`, an ES module whose default export is `Signal`. All minified, each with
 * a source map; the server serves them under `/sdk/`.
 *
 * Run: `node --import tsx packages/sdk/scripts/browser-bundles.ts [outDir]`
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Format } from 'esbuild';

export const defaultBrowserDir = fileURLToPath(new URL('../dist/browser/', import.meta.url));

export const bundleFiles = { esm: 'agora-rtm.esm.js', iife: 'agora-rtm.iife.js' } as const;

export type BundleFormat = keyof typeof bundleFiles;

export const signalingBundleFiles = { esm: 'agora-sig.esm.js', iife: 'agora-sig.js' } as const;

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
const signalingEntry = fileURLToPath(new URL('../../signaling/src/index.ts', import.meta.url));

/**
 * The classic script's body: `Signal` (a function, as in AgoraSig.js) becomes a global, with
 * the package's other exports (`Signal.SignalingCode`, `Signal.Session`, …) on it.
 */
const signalingGlobal = `
import Signal, * as all from ${JSON.stringify(signalingEntry)};
for (const [name, value] of Object.entries(all)) if (name !== 'default') Signal[name] = value;
globalThis.Signal = Signal;
`;

/**
 * Builds both bundles. The IIFE's global is the module namespace, so `AgoraRTM.createInstance`,
 * the enums and `VERSION` sit on it as on agora-rtm-sdk's global, next to the named exports
 * (`AgoraRTM.RtmClient`, the error classes).
 */
export async function buildBrowserBundles(outDir = defaultBrowserDir): Promise<BuiltBundle[]> {
  await fs.mkdir(outDir, { recursive: true });
  return Promise.all([buildOne('esm', outDir), buildOne('iife', outDir)]);
}

/** Builds `agora-sig.js` (global `Signal`) and `agora-sig.esm.js` (default export `Signal`). */
export async function buildSignalingBundles(outDir = defaultBrowserDir): Promise<BuiltBundle[]> {
  await fs.mkdir(outDir, { recursive: true });
  return Promise.all([
    buildOne('esm', outDir, {
      entryPoints: [signalingEntry],
      outfile: path.join(outDir, signalingBundleFiles.esm),
    }),
    buildOne('iife', outDir, {
      stdin: { contents: signalingGlobal, resolveDir: path.dirname(signalingEntry), loader: 'ts' },
      outfile: path.join(outDir, signalingBundleFiles.iife),
    }),
  ]);
}

async function buildOne(
  format: BundleFormat,
  outDir: string,
  what: BuildOptions = {
    entryPoints: [entry],
    outfile: path.join(outDir, bundleFiles[format]),
    ...(format === 'iife' ? { globalName: 'AgoraRTM' } : {}),
  },
): Promise<BuiltBundle> {
  const file = what.outfile!;
  const result = await build({
    ...what,
    bundle: true,
    format: format satisfies Format,
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
  const built = [
    ...(await buildBrowserBundles(process.argv[2])),
    ...(await buildSignalingBundles(process.argv[2])),
  ];
  for (const b of built) {
    console.log(`${path.relative(process.cwd(), b.file)}  ${b.code.length} bytes`);
  }
}

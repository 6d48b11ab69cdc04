/**
 * Builds the admin console into `apps/admin/dist/`: `admin.js` from `src/` plus the static
 * files. The server serves this folder at `/admin` (behind the REST keys: every call the page
 * makes carries them).
 *
 * Run: `node --import tsx apps/admin/build.ts`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const defaultAdminDir = fileURLToPath(new URL('./dist/', import.meta.url));

const here = fileURLToPath(new URL('.', import.meta.url));
const staticFiles = ['index.html', 'style.css', 'favicon.svg'];

/** Builds the page; answers the files written. */
export async function buildAdmin(outDir = defaultAdminDir): Promise<string[]> {
  await fs.mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    outfile: path.join(outDir, 'admin.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  await Promise.all(staticFiles.map((f) => fs.copyFile(path.join(here, f), path.join(outDir, f))));
  return ['admin.js', 'admin.js.map', ...staticFiles].map((f) => path.join(outDir, f));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await buildAdmin(process.argv[2]);
  console.log(files.map((f) => path.relative(process.cwd(), f)).join('\n'));
}

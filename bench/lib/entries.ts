/**
 * The processes the bench measures run plain JavaScript, the way `npm start` runs Parley
 * (`node packages/server/dist/cli.js`), not TypeScript through tsx. tsx's ESM hooks run on a
 * loader thread of their own, and that thread's garbage collections (a memory-reducing
 * Mark-Compact of 4–14 ms every ~600 ms once it goes idle, in S2's windows) ran on the one
 * core the server is pinned to: its pauses were the server's tail, and no user's server pays
 * them.
 *
 * So before the first job each checkout is built: `tsc -b` of the packages (Parley from its
 * `dist/`, as shipped), then each entry of bench/ that the runner starts (servers, the load
 * generator, S10's receivers) is bundled by esbuild into one `.mjs` with every package left
 * external: `@parley/*` resolves to the built `dist/`, `ws` or `socket.io` to node_modules.
 * The bundles go to `<checkout>/node_modules/.cache/parley-bench/`, from where Node finds that
 * checkout's packages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The entries of bench/ that run as processes of their own, by name. */
export const ENTRIES = {
  parley: 'servers/parley.ts',
  b0: 'servers/b0-naive-ws.ts',
  b1: 'servers/b1-tuned-ws.ts',
  b2: 'servers/b2-socketio.ts',
  bare: 'servers/bare-ws.ts',
  generator: 'load/generator.ts',
  receivers: 'load/receivers.ts',
} as const;

export type EntryName = keyof typeof ENTRIES;

/** The environment variable that tells a bundled generator where its sibling bundles are. */
export const BUILT_DIR_ENV = 'PARLEY_BENCH_BUILT';

/** Packages of a checkout the servers and clients import, in build order. */
const PACKAGES = ['protocol', 'token', 'sdk', 'signaling', 'server'];

/**
 * Builds `root`'s packages and bundles its bench entries (`names`; all by default); answers
 * the directory holding `<name>.mjs` for each.
 */
export async function buildEntries(
  root: string,
  names: readonly EntryName[] = Object.keys(ENTRIES) as EntryName[],
): Promise<string> {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const packages = PACKAGES.map((p) => path.join('packages', p)).filter((p) =>
    existsSync(path.join(root, p, 'tsconfig.json')),
  );
  execFileSync(tsc, ['-b', ...packages], { cwd: root, stdio: 'inherit' });
  const outdir = path.join(root, 'node_modules', '.cache', 'parley-bench');
  const entryPoints = Object.fromEntries(
    names.map((n) => [n, path.join(root, 'bench', ENTRIES[n])] as const),
  );
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outdir;
}

/** The bundle of entry `name` in `dir` (from `buildEntries`). */
export function builtEntry(dir: string, name: EntryName): string {
  return path.join(dir, `${name}.mjs`);
}

/** The bundle of entry `name` beside this process's own (inside a bundled generator). */
export function siblingEntry(name: EntryName): string {
  const dir = process.env[BUILT_DIR_ENV];
  if (!dir) throw new Error(`${BUILT_DIR_ENV} is not set: start this process from bench/run.ts`);
  return builtEntry(dir, name);
}

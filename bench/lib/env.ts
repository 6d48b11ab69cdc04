/** What every result carries: machine, OS, Node and package versions, git state, load. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { HAS_TASKSET } from './proc.js';

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  v8: string;
  pinned: boolean;
  git: string;
  packages: Record<string, string>;
  loadAvgStart: number[];
  loadAvgEnd?: number[];
  /** The Redis of S1R/S2R (version, where it runs), when the run had them. */
  redis?: string;
}

const root = new URL('../../', import.meta.url);

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
}

/** The version in `<dir>/package.json` for the first of `dirs` (relative to the repo) that has one. */
function versionAt(...dirs: string[]): string {
  for (const dir of dirs) {
    try {
      const text = readFileSync(new URL(`${dir}/package.json`, root), 'utf8');
      return (JSON.parse(text) as { version: string }).version;
    } catch {
      // not installed there
    }
  }
  return 'not installed';
}

export function environment(): Environment {
  const commit = run('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['status', '--porcelain', '--', 'packages']).length > 0;
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
    pinned: HAS_TASKSET,
    git: commit ? `${commit}${dirty ? ' (packages/ has uncommitted changes)' : ''}` : 'n/a',
    packages: {
      '@parley/server': versionAt('packages/server'),
      'ws (Parley, B0, B1, bare, load generators)': versionAt(
        'packages/server/node_modules/ws',
        'node_modules/ws',
      ),
      'socket.io': versionAt('node_modules/socket.io'),
      'engine.io': versionAt(
        'node_modules/socket.io/node_modules/engine.io',
        'node_modules/engine.io',
      ),
      'ws (inside engine.io)': versionAt(
        'node_modules/socket.io/node_modules/engine.io/node_modules/ws',
        'node_modules/engine.io/node_modules/ws',
        'node_modules/ws',
      ),
      bufferutil: versionAt('node_modules/bufferutil'),
      '@socket.io/redis-adapter': versionAt('node_modules/@socket.io/redis-adapter'),
      ioredis: versionAt('packages/server/node_modules/ioredis', 'node_modules/ioredis'),
      tsx: versionAt('node_modules/tsx'),
    },
    loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** What every result carries: machine, OS, Node and package versions, git state, load. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
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

/** The version of a package as installed, resolved from `from` (a directory of the repo). */
function versionOf(name: string, from = '.'): string {
  try {
    const req = createRequire(new URL(`${from}/package.json`, root));
    const path = req.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'n/a';
  }
}

function engineIoWs(): string {
  try {
    const req = createRequire(new URL('./package.json', root));
    const engine = req.resolve('engine.io/package.json');
    return (
      JSON.parse(readFileSync(createRequire(engine).resolve('ws/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'n/a';
  }
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
      '@parley/server': versionOf('@parley/server', 'packages/server'),
      'ws (Parley, B0, B1, bare, load generators)': versionOf('ws', 'packages/server'),
      'socket.io': versionOf('socket.io'),
      'engine.io': engineIoWs() === 'n/a' ? 'n/a' : versionOf('engine.io'),
      'ws (inside engine.io)': engineIoWs(),
      bufferutil: versionOf('bufferutil'),
      tsx: versionOf('tsx'),
    },
    loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

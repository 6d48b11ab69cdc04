/**
 * Child processes pinned to one core, and their CPU time read from `/proc/<pid>/stat`
 * (utime + stime of every thread: JS, GC, libuv pool), the way `top` sees it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLK_TCK = readClockTicks();

function readClockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU time used so far by process `pid` (all threads), in microseconds, user and system. */
export function cpuTimes(pid: number | 'self'): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1e6) / CLK_TCK, sys: (Number(fields[12]) * 1e6) / CLK_TCK };
}

/** CPU time used so far by process `pid` (user + system, all threads), in microseconds. */
export function cpuMicros(pid: number | 'self'): number {
  const t = cpuTimes(pid);
  return t.user + t.sys;
}

/** CPU time every core of the machine spent busy so far (all processes, IRQs), µs. */
export function machineBusyMicros(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = v.reduce((a, b) => a + b, 0) - (v[3] ?? 0) - (v[4] ?? 0) - (v[8] ?? 0) - (v[9] ?? 0);
  return (busy * 1e6) / CLK_TCK;
}

export const HAS_TASKSET = hasTaskset();

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (all its threads) to `cpu`. */
export function pinSelf(cpu: number): void {
  if (HAS_TASKSET)
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], {
      stdio: 'ignore',
    });
}

/** Absolute path of a file of bench/, from a module URL and a relative path. */
export function benchPath(from: string, rel: string): string {
  return fileURLToPath(new URL(rel, from));
}

/**
 * Starts a bundled entry of bench/ (`lib/entries.ts`: plain JavaScript, no tsx) pinned to
 * `cpu`, with an IPC channel. `taskset` execs node, so the child's pid is node's and every
 * thread it starts is pinned.
 */
export function spawnPinned(
  cpu: number,
  script: string,
  args: string[],
  nodeFlags: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const node = [...nodeFlags, script, ...args];
  const [cmd, argv] = HAS_TASKSET
    ? ['taskset', ['-c', String(cpu), process.execPath, ...node]]
    : [process.execPath, node];
  return spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env });
}

/** Resolves once `child` exits (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child by its pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

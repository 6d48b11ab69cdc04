/**
 * A server under test as a child process: started pinned to its core, heard on its IPC channel
 * (`ready` with its port, then the answers to commands), its stderr kept for the error that
 * says why it did not start.
 */
import type { ChildProcess } from 'node:child_process';
import type { FromServer, ServerCommand } from './ipc.js';
import { spawnPinned } from './proc.js';

/** A running server under test. */
export interface Server {
  child: ChildProcess;
  port: number;
  command(c: ServerCommand): Promise<unknown>;
}

/**
 * Starts bundled entry `script` with `args` and Node `flags` on `cpu`; resolves once it is
 * listening. `echo` copies its output to this process's stderr (`--server-output`).
 */
export async function launchServer(
  name: string,
  cpu: number,
  script: string,
  args: string[],
  flags: string[],
  echo: boolean,
): Promise<Server> {
  const child = spawnPinned(cpu, script, args, flags);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (echo) process.stderr.write(d);
  });
  if (echo) child.stdout?.pipe(process.stderr);
  else child.stdout?.resume();
  const replies = new Map<number, (data: unknown) => void>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in 30 s: ${stderr}`)),
      30_000,
    );
    child.on('message', (m: FromServer) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.port);
      } else replies.get(m.id)?.(m.data);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${stderr}`));
    });
  });
  return {
    child,
    port,
    command(c) {
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, resolve);
        child.send({ id, ...c });
      });
    },
  };
}

/** Redis for tests: the shared server (`.ci/run` makes sure one runs) and private ones. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { eventually } from './wait.js';

/** The shared Redis: other tests and agents use it too, so always with `uniquePrefix()`. */
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

export interface PrivateRedis {
  port: number;
  child: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const free = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(free));
    });
    s.once('error', reject);
  });
}

/** Starts redis-server on `port`; resolves once it answers, rejects if it exits first. */
async function startOn(port: number): Promise<PrivateRedis> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited`);
        return probe.connect().then(
          () => true,
          () => false,
        );
      },
      `redis-server on port ${port}`,
      5000,
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    probe.disconnect();
  }
  return { port, child };
}

/**
 * A private redis-server, so the test can kill, stop and restart it. Without `port`, on a
 * free port (tried again on another if a parallel test took that one first); with `port`,
 * there (a restart of one stopped with `killRedis`).
 */
export async function privateRedis(port?: number): Promise<PrivateRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(port ?? (await freePort()));
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** SIGKILLs a private redis-server; resolves once it is gone (its port is free again). */
export async function killRedis(redis: PrivateRedis): Promise<void> {
  const { child } = redis;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}

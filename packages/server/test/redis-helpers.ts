/** Redis for tests: a real server (`.ci/run` makes sure one runs on 127.0.0.1:6379). */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { sleep } from './helpers.js';

export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** A private redis-server on a free port, so the test can kill and restart it. */
export async function privateRedis(port?: number): Promise<{ port: number; child: ChildProcess }> {
  const p =
    port ??
    (await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const free = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(free));
      });
    }));
  const child = spawn(
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(p, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  for (let k = 0; probe.status !== 'ready'; k++) {
    assert.ok(k < 100, 'redis-server did not start');
    await probe.connect().catch(() => sleep(50));
  }
  probe.disconnect();
  return { port: p, child };
}

/** Collects the process's unhandled rejections while test `t` runs. */
export function unhandledRejections(t: { after(fn: () => void): void }): unknown[] {
  const seen: unknown[] = [];
  const onUnhandled = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  return seen;
}

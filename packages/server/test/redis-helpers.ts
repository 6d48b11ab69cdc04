/** Redis for tests: a real server (`.ci/run` makes sure one runs on 127.0.0.1:6379). */
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

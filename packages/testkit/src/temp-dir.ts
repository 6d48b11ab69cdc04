import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir, private to the caller (safe in parallel runs). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
}

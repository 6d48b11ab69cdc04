import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hmacSha256 } from '../src/digest.js';

test('hmacSha256 equals crypto.createHmac for keys and data of every size around the block', () => {
  for (let keyLength = 0; keyLength <= 130; keyLength++)
    for (const dataLength of [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 200]) {
      const key = randomBytes(keyLength);
      const data = randomBytes(dataLength);
      const want = createHmac('sha256', key).update(data).digest();
      assert.deepEqual(hmacSha256(key, data), want, `key ${keyLength} data ${dataLength}`);
    }
});

test('hmacSha256 takes strings as UTF-8, for the key and the data', () => {
  for (const key of ['', 'fedcba9876543210fedcba9876543210', 'ключ-🔑'.repeat(9)])
    for (const data of ['', 'signed text', 'ユーザー'.repeat(30)]) {
      const want = createHmac('sha256', key).update(data).digest();
      assert.deepEqual(hmacSha256(key, data), want);
      assert.deepEqual(hmacSha256(Buffer.from(key), Buffer.from(data)), want);
    }
});

/** Hashing primitives and the constant-time comparison every verifier uses. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Lower-case hex MD5 of a string's UTF-8 bytes. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * Constant-time equality. Lengths are not secret (signatures have a fixed size), so a length
 * mismatch returns early; equal-length inputs are compared with crypto.timingSafeEqual.
 */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

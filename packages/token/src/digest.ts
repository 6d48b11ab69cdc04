/** Hashing primitives and the constant-time comparison every verifier uses. */
import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'latin1') => string;
/** `crypto.hash` (Node 20.12+): a digest in one call, without a Hash object. */
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/**
 * HMAC-SHA256 (RFC 2104). With `crypto.hash`, as two one-shot digests over pooled buffers: a
 * login verifies three HMACs, and each `createHmac` leaves an Hmac object with a native handle
 * for the garbage collector (bench S6).
 */
export function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return oneShot ? hmacOneShot(oneShot, key, data) : hmacNative(key, data);
}

function hmacNative(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

const BLOCK_BYTES = 64;

function hmacOneShot(hash: OneShot, key: string | Uint8Array, data: string | Uint8Array): Buffer {
  let k = typeof key === 'string' ? Buffer.from(key) : key;
  if (k.length > BLOCK_BYTES) k = Buffer.from(hash('sha256', k, 'latin1'), 'latin1');
  const d = typeof data === 'string' ? Buffer.from(data) : data;
  const inner = Buffer.allocUnsafe(BLOCK_BYTES + d.length);
  const outer = Buffer.allocUnsafe(BLOCK_BYTES + 32);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const b = i < k.length ? k[i]! : 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  inner.set(d, BLOCK_BYTES);
  // Digests as latin1 text (one byte a character) go into pooled buffers: a 'buffer' digest is a
  // native allocation of its own each.
  outer.write(hash('sha256', inner, 'latin1'), BLOCK_BYTES, 'latin1');
  const mac = Buffer.from(hash('sha256', outer, 'latin1'), 'latin1');
  // The pads are the key in plain sight and the pool hands these bytes out again: clear them.
  inner.fill(0, 0, BLOCK_BYTES);
  outer.fill(0, 0, BLOCK_BYTES);
  return mac;
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

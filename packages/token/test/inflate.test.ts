import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { once } from 'node:events';
import { constants, createDeflate, deflateSync, inflateSync } from 'node:zlib';
import { zlibInflate } from '../src/inflate.js';

/** Inputs that exercise stored, fixed and dynamic blocks, long matches and far distances. */
function samples(): Buffer[] {
  const out: Buffer[] = [Buffer.alloc(0), Buffer.from('a'), Buffer.alloc(1000, 0x61)];
  for (let n = 1; n < 3000; n = Math.ceil(n * 1.7)) {
    out.push(randomBytes(n)); // mostly stored or dynamic
    const text = Array.from({ length: n }, (_, k) => 'uid' + (k % 37) + ' ').join('');
    out.push(Buffer.from(text)); // many matches
  }
  return out;
}

test('zlibInflate decodes what zlib makes, at every level and strategy', () => {
  for (const data of samples())
    for (const level of [0, 1, 6, 9])
      for (const strategy of [
        constants.Z_DEFAULT_STRATEGY,
        constants.Z_FIXED,
        constants.Z_HUFFMAN_ONLY,
        constants.Z_RLE,
      ]) {
        const z = deflateSync(data, { level, strategy });
        assert.deepEqual(zlibInflate(z, 1 << 20), data, `level ${level} strategy ${strategy}`);
      }
});

test('zlibInflate refuses what zlib refuses, and output past the bound', () => {
  const data = Buffer.from(Array.from({ length: 500 }, (_, k) => `x${k % 13}`).join(''));
  const z = deflateSync(data);
  assert.throws(() => zlibInflate(z, 100), /output too large/);
  let refusedByBoth = 0;
  for (let k = 0; k < 2000; k++) {
    const bad = Buffer.from(z);
    const at = 2 + (k % (bad.length - 2));
    bad[at] = bad[at]! ^ (1 << (k % 8));
    let zlibOut: Buffer | undefined;
    try {
      zlibOut = inflateSync(bad, { maxOutputLength: 1 << 20 });
    } catch {
      zlibOut = undefined;
    }
    let mine: Buffer | undefined;
    try {
      mine = zlibInflate(bad, 1 << 20);
    } catch {
      mine = undefined;
    }
    // Never a different answer: either both refuse, or both decode the same bytes.
    if (mine !== undefined) assert.deepEqual(mine, zlibOut, `flip at ${at}`);
    if (mine === undefined && zlibOut === undefined) refusedByBoth++;
  }
  assert.ok(refusedByBoth > 1000);
  for (const junk of [Buffer.alloc(0), Buffer.from([0x78]), randomBytes(40), z.subarray(0, 10)])
    assert.throws(() => zlibInflate(junk, 1 << 20));
});

/** zlib's output for `parts` with a flush after each but the last (empty stored blocks between). */
async function flushed(parts: Buffer[], flush: number, strategy: number): Promise<Buffer> {
  const d = createDeflate({ strategy });
  const out: Buffer[] = [];
  d.on('data', (b: Buffer) => out.push(b));
  for (const part of parts.slice(0, -1)) {
    d.write(part);
    await new Promise<void>((resolve) => d.flush(flush, () => resolve()));
  }
  d.end(parts[parts.length - 1]);
  await once(d, 'end');
  return Buffer.concat(out);
}

// A flush ends the block and adds an empty stored block. Huffman-only coding of one repeated
// byte gives the end-of-block a 1-bit code, so the table lookup has read whole bytes past it
// that belong to the stored block.
test('zlibInflate decodes a stored block right after a short end-of-block code', async () => {
  const text = (n: number) =>
    Buffer.from(Array.from({ length: n }, (_, k) => `u${k % 7}`).join(''));
  const same = (n: number) => Buffer.alloc(n, 0x61);
  for (const flush of [constants.Z_SYNC_FLUSH, constants.Z_FULL_FLUSH])
    for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_HUFFMAN_ONLY])
      for (const parts of [
        [same(3), same(5)],
        [same(1), same(1), same(1)],
        [same(40), Buffer.alloc(0), text(200)],
        [text(700), same(30)],
        ...Array.from({ length: 16 }, (_, k) => [same(k + 1), same(k * 3 + 1), text(k)]),
      ]) {
        const z = await flushed(parts, flush, strategy);
        assert.deepEqual(zlibInflate(z, 1 << 20), Buffer.concat(parts));
      }
});

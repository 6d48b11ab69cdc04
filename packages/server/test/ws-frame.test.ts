import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { textFrame } from '../src/ws-frame.js';

/** `ws`'s frame parser (exported by its ESM wrapper, not in its type declarations). */
const { Receiver } = ws as unknown as {
  Receiver: new (o: { isServer: boolean; maxPayload: number }) => Writable;
};

/**
 * The Hub's frames decoded by `ws`'s own client-side receiver (what the SDK in Node reads
 * with), across the three length encodings (7-bit, 16-bit, 64-bit) and their edges, with
 * multi-byte UTF-8 so that the byte length, not the string length, is the one framed.
 */
test('textFrame makes frames ws decodes, at every length encoding and its edges', async () => {
  const receiver = new Receiver({ isServer: false, maxPayload: 0 });
  const got: string[] = [];
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    assert.equal(isBinary, false);
    got.push(data.toString());
  });
  const sizes = [0, 1, 125, 126, 127, 65535, 65536, 70_000];
  const texts = sizes.flatMap((n) => ['x'.repeat(n), 'é'.repeat(Math.floor(n / 2))]);
  for (const t of texts) {
    const frame = textFrame(t);
    const n = Buffer.byteLength(t);
    assert.equal(frame.length, n + (n < 126 ? 2 : n < 65536 ? 4 : 10));
    assert.equal(textFrame(t, true).equals(frame), true, 'pooled and unpooled alike');
    receiver.write(frame);
  }
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(got, texts);
});

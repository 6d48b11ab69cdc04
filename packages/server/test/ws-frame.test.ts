import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { pushFrame, textFrame } from '../src/ws-frame.js';

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

/**
 * A push is framed from its encoding without `s` plus the sequence: the same bytes as framing
 * `JSON.stringify({ ...frame, s })`, where the tail crosses each length encoding's edge.
 */
test('pushFrame gives the bytes of the frame with s appended, across the length edges', () => {
  const edges = [125, 126, 65535, 65536];
  for (const edge of edges)
    for (const s of [1, 99_999, 2 ** 40]) {
      for (let fill = edge - 40; fill <= edge; fill++) {
        const frame = {
          t: 'msg',
          mid: 'n.1',
          f: 'ü',
          m: { k: 'T', x: 'x'.repeat(Math.max(0, fill)) },
        };
        const json = JSON.stringify(frame);
        const want = textFrame(JSON.stringify({ ...frame, s }));
        assert.equal(pushFrame(json, s).equals(want), true, `fill ${fill}, s ${s}`);
      }
    }
});

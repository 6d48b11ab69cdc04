/**
 * A server's WebSocket text frame, built by hand: RFC 6455 §5.2, FIN set, opcode 1 (text), no
 * mask (a server never masks), no extension bits (the gateway turns permessage-deflate off).
 * Header and payload are one Buffer, so the Hub writes a frame to a socket in one write, and a
 * fan-out's frame is built once and the same bytes go to every member.
 */

/** Header + payload of one unmasked text frame. */
export function textFrame(payload: string, unpooled = false): Buffer {
  const n = Buffer.byteLength(payload);
  const out = withHeader(n, unpooled);
  out.write(payload, headerLength(n));
  return out;
}

/**
 * The frame of a push numbered `s`: `json` (an encoded object) with `,"s":<s>` before its
 * closing brace, the bytes `JSON.stringify({ ...frame, s })` would give, without building
 * that text.
 */
export function pushFrame(json: string, s: number): Buffer {
  const tail = `,"s":${s}}`;
  const body = Buffer.byteLength(json) - 1; // the closing brace is one byte
  const n = body + tail.length;
  const out = withHeader(n, false);
  const head = headerLength(n);
  out.write(json, head); // its closing brace is overwritten by the tail
  out.write(tail, head + body, 'latin1');
  return out;
}

function headerLength(n: number): number {
  return n < 126 ? 2 : n < 65536 ? 4 : 10;
}

/** A Buffer for a frame of an `n`-byte payload, its header written. */
function withHeader(n: number, unpooled: boolean): Buffer {
  const head = headerLength(n);
  // A frame kept after its write (a channel's replay ring) must not pin a shared 8 KiB pool slab.
  const out = unpooled ? Buffer.allocUnsafeSlow(head + n) : Buffer.allocUnsafe(head + n);
  out[0] = 0x81;
  if (head === 2) out[1] = n;
  else if (head === 4) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  return out;
}

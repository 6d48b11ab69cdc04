/**
 * A server's WebSocket text frame, built by hand: RFC 6455 §5.2, FIN set, opcode 1 (text), no
 * mask (a server never masks), no extension bits (the gateway turns permessage-deflate off).
 * Header and payload are one Buffer, so the Hub writes a frame to a socket in one write, and a
 * fan-out's frame is built once and the same bytes go to every member.
 */

/** Header + payload of one unmasked text frame. */
export function textFrame(payload: string, unpooled = false): Buffer {
  const n = Buffer.byteLength(payload);
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
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
  out.write(payload, head);
  return out;
}

/**
 * Little-endian packing helpers shared by the 006 and 007 token formats.
 *
 * Both formats use the same primitives: uint16 / uint32 little-endian integers, byte strings
 * prefixed with a uint16 length, and "uint32 maps" (a uint16 count followed by
 * `uint16 key, uint32 value` pairs in ascending key order).
 */

/** Thrown by {@link ByteReader} when the input is truncated or otherwise not well formed. */
export class MalformedBytesError extends Error {
  override readonly name = 'MalformedBytesError';
}

const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffffffff;

export function isUint16(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT16;
}

export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

function requireUint(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} must be an integer in [0, ${max}], got ${value}`);
  }
}

/** Growable little-endian writer. Throws RangeError for values that do not fit their field. */
export class ByteWriter {
  private buffer = Buffer.alloc(64);
  private length = 0;

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.alloc(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  uint16(value: number): this {
    requireUint(value, MAX_UINT16, 'uint16');
    this.reserve(2);
    this.length = this.buffer.writeUInt16LE(value, this.length);
    return this;
  }

  uint32(value: number): this {
    requireUint(value, MAX_UINT32, 'uint32');
    this.reserve(4);
    this.length = this.buffer.writeUInt32LE(value, this.length);
    return this;
  }

  /** Appends raw bytes with no length prefix. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** Appends a uint16 length prefix followed by the bytes. */
  bytes(bytes: Uint8Array): this {
    requireUint(bytes.length, MAX_UINT16, 'byte string length');
    return this.uint16(bytes.length).raw(bytes);
  }

  /** Appends a UTF-8 string as a length-prefixed byte string. */
  string(text: string): this {
    return this.bytes(Buffer.from(text, 'utf8'));
  }

  /** Appends a uint16 → uint32 map in ascending key order (the order the reference code uses). */
  uint32Map(map: ReadonlyMap<number, number>): this {
    const keys = [...map.keys()].sort((a, b) => a - b);
    this.uint16(keys.length);
    for (const key of keys) this.uint16(key).uint32(map.get(key) ?? 0);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

/** Bounds-checked little-endian reader. Every read past the end throws {@link MalformedBytesError}. */
export class ByteReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  private take(count: number): Buffer {
    const at = this.advance(count);
    return this.buffer.subarray(at, at + count);
  }

  /** Where the next `count` bytes start (and consumes them), without making a view of them. */
  private advance(count: number): number {
    if (count > this.remaining) {
      throw new MalformedBytesError(
        `need ${count} bytes at offset ${this.position}, only ${this.remaining} left`,
      );
    }
    const at = this.position;
    this.position += count;
    return at;
  }

  uint16(): number {
    const at = this.advance(2);
    return this.buffer[at]! | (this.buffer[at + 1]! << 8);
  }

  uint32(): number {
    const at = this.advance(4);
    const b = this.buffer;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
  }

  /** Reads a uint16 length prefix and that many bytes (a copy). */
  bytes(): Buffer {
    return Buffer.from(this.take(this.uint16()));
  }

  /** Reads a length-prefixed byte string that must be valid UTF-8. */
  string(): string {
    const raw = this.take(this.uint16());
    try {
      return utf8Decoder.decode(raw);
    } catch {
      throw new MalformedBytesError('byte string is not valid UTF-8');
    }
  }

  /** Reads a uint16 → uint32 map; duplicate keys are rejected. */
  uint32Map(): Map<number, number> {
    const count = this.uint16();
    const map = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const key = this.uint16();
      const value = this.uint32();
      if (map.has(key)) throw new MalformedBytesError(`duplicate map key ${key}`);
      map.set(key, value);
    }
    return map;
  }

  /** Returns (a copy of) every byte not read yet, and consumes them. */
  rest(): Buffer {
    return Buffer.from(this.take(this.remaining));
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard, padded base64 and rejects anything that is not the canonical encoding of
 * its bytes (Node's own decoder silently skips invalid characters, which would make many
 * different strings decode to the same token).
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !BASE64_PATTERN.test(text)) return null;
  // The pattern leaves one way to be non-canonical: bits past the last byte that are not 0
  // (in the character before a padding `=`), which the decoder would drop.
  const n = text.length;
  if (text.charCodeAt(n - 1) === EQ) {
    const pad = text.charCodeAt(n - 2) === EQ ? 2 : 1;
    if (base64Value(text.charCodeAt(n - 1 - pad)) & (pad === 2 ? 0x0f : 0x03)) return null;
  }
  return Buffer.from(text, 'base64');
}

const EQ = 0x3d;

/** The 6-bit value of a base64 character (one the pattern admitted, not `=`). */
function base64Value(c: number): number {
  if (c >= 0x61) return c - 0x61 + 26; // a-z
  if (c >= 0x41) return c - 0x41; // A-Z
  if (c >= 0x30) return c - 0x30 + 52; // 0-9
  return c === 0x2b ? 62 : 63; // + /
}

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
    if (count > this.remaining) {
      throw new MalformedBytesError(
        `need ${count} bytes at offset ${this.position}, only ${this.remaining} left`,
      );
    }
    const out = this.buffer.subarray(this.position, this.position + count);
    this.position += count;
    return out;
  }

  uint16(): number {
    return this.take(2).readUInt16LE(0);
  }

  uint32(): number {
    return this.take(4).readUInt32LE(0);
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
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

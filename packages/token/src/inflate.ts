/**
 * A small zlib (RFC 1950) + DEFLATE (RFC 1951) decoder for token contents. A 007 token is a
 * few hundred bytes; `zlib.inflateSync` spends most of its time on making and freeing a native
 * stream per call, which showed in the login profile (bench S6). This decodes in plain code,
 * checks the Adler-32 trailer, and throws on anything malformed or past `maxOutput` bytes (the
 * caller turns a throw into "not a well-formed token").
 */

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order code length code lengths come in (RFC 1951 §3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code: how many codes of each length, the symbols in code order, and a
 * lookup table by the next FAST_BITS input bits for the codes that short (0 = longer, or no
 * code: the bit-by-bit decode decides).
 */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
  /** (code length << 9) | symbol, indexed by the next FAST_BITS bits as they arrive. */
  fast: Uint16Array;
}

/** Codes up to this long decode with one table lookup (the fixed literal codes are 7–9 bits). */
const FAST_BITS = 9;
const FAST_MASK = (1 << FAST_BITS) - 1;

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(16);
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  // Over-subscribed codes are malformed; incomplete ones are allowed (a single distance code).
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - counts[len]!;
    if (left < 0) throw new Error('inflate: over-subscribed code');
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + counts[len]!;
  for (let i = 0; i < n; i++) if (lengths[i]) symbols[offs[lengths[i]!]!++] = i;
  return { counts, symbols, fast: fastTable(counts, symbols) };
}

/**
 * The lookup table of a code: each code of at most FAST_BITS bits fills every entry whose low
 * bits are that code as it arrives (DEFLATE sends a code's first bit first, into the low bit).
 */
function fastTable(counts: Uint16Array, symbols: Uint16Array): Uint16Array {
  const fast = new Uint16Array(1 << FAST_BITS);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= FAST_BITS; len++) {
    for (let k = 0; k < counts[len]!; k++, code++, index++) {
      let reversed = 0;
      for (let b = 0; b < len; b++) reversed |= ((code >>> b) & 1) << (len - 1 - b);
      const entry = (len << 9) | symbols[index]!;
      for (let at = reversed; at < fast.length; at += 1 << len) fast[at] = entry;
    }
    code <<= 1;
  }
  return fast;
}

let fixed: [Huffman, Huffman] | undefined;

function fixedCodes(): [Huffman, Huffman] {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixed = [huffman(l, 288), huffman(new Uint8Array(30).fill(5), 30)];
  }
  return fixed;
}

class Inflater {
  private pos: number;
  private bitBuf = 0;
  private bitCount = 0;
  private out: Buffer;
  private len = 0;

  constructor(
    private readonly src: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly maxOutput: number,
  ) {
    this.pos = start;
    // From Buffer's pool (a token's few hundred bytes): a Uint8Array would be an allocation of
    // its own outside the heap. Only the bytes written are ever read.
    this.out = Buffer.allocUnsafe(Math.min(maxOutput, Math.max(64, src.length * 4)));
  }

  private bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.end) throw new Error('inflate: input ends early');
      this.bitBuf |= this.src[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** The next symbol of code `h`: one table lookup for a short code, else bit by bit. */
  private decode(h: Huffman): number {
    while (this.bitCount < FAST_BITS && this.pos < this.end) {
      this.bitBuf |= this.src[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const entry = h.fast[this.bitBuf & FAST_MASK]!;
    const len = entry >>> 9;
    // Bits past the input's end read as 0 in the lookup: a code needing them ends early.
    if (entry !== 0 && len <= this.bitCount) {
      this.bitBuf >>>= len;
      this.bitCount -= len;
      return entry & 0x1ff;
    }
    return this.slowDecode(h);
  }

  private slowDecode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.counts[len]!;
      if (code - count < first) return h.symbols[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error('inflate: bad code');
  }

  private put(byte: number): void {
    if (this.len === this.out.length) {
      if (this.len >= this.maxOutput) throw new Error('inflate: output too large');
      const grown = Buffer.allocUnsafe(Math.min(this.maxOutput, this.out.length * 2));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.len++] = byte;
  }

  run(): Buffer {
    let last = 0;
    while (!last) {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(fixedCodes());
      else if (type === 2) this.codes(this.dynamic());
      else throw new Error('inflate: bad block type');
    }
    // The zlib trailer starts at the next byte boundary.
    this.alignToByte();
    return this.out.subarray(0, this.len);
  }

  get next(): number {
    return this.pos;
  }

  /**
   * Drops the bits left of the current byte. Whole bytes `decode` read ahead and did not use
   * go back to the input.
   */
  private alignToByte(): void {
    this.pos -= this.bitCount >>> 3;
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  private stored(): void {
    this.alignToByte();
    if (this.pos + 4 > this.end) throw new Error('inflate: input ends early');
    const s = this.src;
    const n = s[this.pos]! | (s[this.pos + 1]! << 8);
    const nn = s[this.pos + 2]! | (s[this.pos + 3]! << 8);
    this.pos += 4;
    if ((n ^ 0xffff) !== nn) throw new Error('inflate: bad stored block');
    if (this.pos + n > this.end) throw new Error('inflate: input ends early');
    for (let i = 0; i < n; i++) this.put(s[this.pos++]!);
  }

  private dynamic(): [Huffman, Huffman] {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit > 286 || hdist > 30) throw new Error('inflate: bad code counts');
    const clen = new Uint8Array(19);
    for (let i = 0; i < hclen; i++) clen[CLEN_ORDER[i]!] = this.bits(3);
    const clenCode = huffman(clen, 19);
    const lengths = new Uint8Array(hlit + hdist);
    for (let i = 0; i < hlit + hdist;) {
      const sym = this.decode(clenCode);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (sym === 16) {
        if (i === 0) throw new Error('inflate: repeat with no previous length');
        value = lengths[i - 1]!;
        repeat = 3 + this.bits(2);
      } else if (sym === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (i + repeat > hlit + hdist) throw new Error('inflate: too many lengths');
      while (repeat--) lengths[i++] = value;
    }
    if (lengths[256] === 0) throw new Error('inflate: no end-of-block code');
    return [huffman(lengths.subarray(0, hlit), hlit), huffman(lengths.subarray(hlit), hdist)];
  }

  private codes([lit, dist]: [Huffman, Huffman]): void {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) {
        this.put(sym);
        continue;
      }
      if (sym === 256) return;
      const li = sym - 257;
      if (li >= 29) throw new Error('inflate: bad length code');
      const length = LENGTH_BASE[li]! + this.bits(LENGTH_EXTRA[li]!);
      const di = this.decode(dist);
      if (di >= 30) throw new Error('inflate: bad distance code');
      const distance = DIST_BASE[di]! + this.bits(DIST_EXTRA[di]!);
      if (distance > this.len) throw new Error('inflate: distance too far back');
      for (let k = 0; k < length; k++) this.put(this.out[this.len - distance]!);
    }
  }
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length;) {
    const end = Math.min(data.length, i + 3800);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Decodes a zlib stream (what `zlib.deflateSync` makes); throws if malformed or too large. */
export function zlibInflate(src: Uint8Array, maxOutput: number): Buffer {
  if (src.length < 6) throw new Error('inflate: too short');
  const cmf = src[0]!;
  const flg = src[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20)
    throw new Error('inflate: not a zlib stream');
  const inflater = new Inflater(src, 2, src.length - 4, maxOutput);
  const out = inflater.run();
  const at = inflater.next;
  if (at + 4 !== src.length) throw new Error('inflate: trailing bytes');
  const want = ((src[at]! << 24) | (src[at + 1]! << 16) | (src[at + 2]! << 8) | src[at + 3]!) >>> 0;
  if (adler32(out) !== want) throw new Error('inflate: checksum mismatch');
  return out;
}

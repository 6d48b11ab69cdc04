import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, ByteWriter, MalformedBytesError, decodeBase64Strict } from '../src/bytes.js';
import { crc32 } from '../src/crc32.js';

describe('ByteWriter / ByteReader', () => {
  test('write little-endian fields and read them back', () => {
    const bytes = new ByteWriter()
      .uint16(0x0102)
      .uint32(0x03040506)
      .string('hé')
      .uint32Map(
        new Map([
          [1000, 7],
          [1, 0xffffffff],
        ]),
      )
      .toBuffer();
    assert.equal(
      bytes.toString('hex'),
      '0201' + '06050403' + '0300' + '68c3a9' + '0200' + '0100' + 'ffffffff' + 'e803' + '07000000',
    );
    const reader = new ByteReader(bytes);
    assert.equal(reader.uint16(), 0x0102);
    assert.equal(reader.uint32(), 0x03040506);
    assert.equal(reader.string(), 'hé');
    assert.deepEqual(
      [...reader.uint32Map()],
      [
        [1, 0xffffffff],
        [1000, 7],
      ],
    );
    assert.equal(reader.remaining, 0);
  });

  test('grow past their initial capacity', () => {
    const long = 'x'.repeat(5000);
    const reader = new ByteReader(new ByteWriter().string(long).string(long).toBuffer());
    assert.equal(reader.string(), long);
    assert.equal(reader.string(), long);
  });

  test('writer refuses values that do not fit', () => {
    assert.throws(() => new ByteWriter().uint16(0x10000), RangeError);
    assert.throws(() => new ByteWriter().uint32(-1), RangeError);
    assert.throws(() => new ByteWriter().bytes(Buffer.alloc(0x10000)), RangeError);
  });

  test('reader throws MalformedBytesError on truncation, bad UTF-8 and duplicate keys', () => {
    assert.throws(() => new ByteReader(Buffer.of(1)).uint16(), MalformedBytesError);
    assert.throws(() => new ByteReader(Buffer.of(5, 0, 1, 2)).bytes(), MalformedBytesError);
    assert.throws(() => new ByteReader(Buffer.of(1, 0, 0xff)).string(), MalformedBytesError);
    const duplicate = new ByteWriter().uint16(2).uint16(1).uint32(0).uint16(1).uint32(0).toBuffer();
    assert.throws(() => new ByteReader(duplicate).uint32Map(), MalformedBytesError);
  });
});

describe('crc32', () => {
  test('matches the standard check value and UTF-8 encodes strings', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(crc32(''), 0);
    assert.equal(crc32('ユーザー'), crc32(Buffer.from('ユーザー', 'utf8')));
    assert.notEqual(crc32('ユーザー'), crc32(Buffer.from('ユーザー', 'latin1')));
  });
});

describe('decodeBase64Strict', () => {
  test('accepts canonical padded base64 only', () => {
    assert.deepEqual(decodeBase64Strict('aGk='), Buffer.from('hi'));
    assert.deepEqual(decodeBase64Strict(''), Buffer.alloc(0));
    for (const bad of ['aGk', 'aGl=', 'aG k=', 'aGk=\n', 'aG-_', '====', 'a===']) {
      assert.equal(decodeBase64Strict(bad), null, JSON.stringify(bad));
    }
  });
});

describe('decodeBase64Strict, every final quantum', () => {
  // Canonical = what Node's encoder gives back for the decoded bytes: checked for every
  // padded last quantum ("xy==", "xyz=") and a sample of unpadded ones.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const canonical = (text: string) => Buffer.from(text, 'base64').toString('base64') === text;
  test('refuses exactly the quanta whose dropped bits are not 0', () => {
    let refused = 0;
    for (const a of alphabet)
      for (const b of alphabet) {
        for (const text of [`QUJD${a}${b}==`, ...[...alphabet].map((c) => `${a}${b}${c}=`)]) {
          const got = decodeBase64Strict(text);
          assert.equal(got !== null, canonical(text), text);
          if (got) assert.deepEqual(got, Buffer.from(text, 'base64'));
          else refused++;
        }
        const full = `${a}${b}${a}${b}`;
        assert.deepEqual(decodeBase64Strict(full), Buffer.from(full, 'base64'));
      }
    assert.equal(refused, 64 * 60 + 64 * 64 * 48); // 4 of 64 finals fit "x?==", 16 fit "xy?="
  });
});

describe('ByteReader integers', () => {
  test('reads the largest uint16 and uint32 values unsigned', () => {
    const r = new ByteReader(
      new ByteWriter().uint16(0xffff).uint32(0xffffffff).uint32(0x80000000).uint32(1).toBuffer(),
    );
    assert.deepEqual(
      [r.uint16(), r.uint32(), r.uint32(), r.uint32()],
      [0xffff, 0xffffffff, 0x80000000, 1],
    );
    assert.throws(() => r.uint16(), MalformedBytesError);
  });
});

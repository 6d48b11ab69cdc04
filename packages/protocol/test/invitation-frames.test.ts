import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvitationApiCallError, InvitationLimits, parseClientFrame } from '../src/index.js';

const parse = (frame: Record<string, unknown>) => parseClientFrame(JSON.stringify(frame));

function rejects(frame: Record<string, unknown>, message: RegExp): void {
  const p = parse(frame);
  assert.equal(p.kind, 'reject', JSON.stringify(frame).slice(0, 80));
  if (p.kind !== 'reject') return;
  assert.equal(p.code, InvitationApiCallError.INVALID_ARGUMENT);
  assert.equal(p.id, frame.i);
  assert.match(p.message, message);
}

describe('invitation frames', () => {
  test('each request is rebuilt from its known fields; absent texts and channel become empty', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { t: 'inv.send', i: 1, id: 'x1', to: 'bob', extra: true },
        { t: 'inv.send', i: 1, id: 'x1', to: 'bob', ch: '', c: '' },
      ],
      [
        { t: 'inv.send', i: 2, id: 'x1', to: 'bob', ch: 'room', c: 'hi' },
        { t: 'inv.send', i: 2, id: 'x1', to: 'bob', ch: 'room', c: 'hi' },
      ],
      [
        { t: 'inv.cancel', i: 3, id: 'x1' },
        { t: 'inv.cancel', i: 3, id: 'x1', c: '' },
      ],
      [
        { t: 'inv.confirm', i: 4, id: 'x1', r: 'no' },
        { t: 'inv.confirm', i: 4, id: 'x1' },
      ],
      [
        { t: 'inv.ack', i: 5, f: 'al', id: 'x1' },
        { t: 'inv.ack', i: 5, f: 'al', id: 'x1' },
      ],
      [
        { t: 'inv.accept', i: 6, f: 'al', id: 'x1', r: 'yes' },
        { t: 'inv.accept', i: 6, f: 'al', id: 'x1', r: 'yes' },
      ],
      [
        { t: 'inv.refuse', i: 7, f: 'al', id: 'x1' },
        { t: 'inv.refuse', i: 7, f: 'al', id: 'x1', r: '' },
      ],
      [
        { t: 'inv.endcall', i: 8, f: 'al', id: 'x1', c: 'bye' },
        { t: 'inv.endcall', i: 8, f: 'al', id: 'x1' },
      ],
    ];
    for (const [input, frame] of cases) assert.deepEqual(parse(input), { kind: 'frame', frame });
  });

  test('content and response: at most 8 KB of UTF-8, counted in bytes', () => {
    const max = InvitationLimits.maxTextBytes;
    assert.equal(max, 8192);
    assert.equal(
      parse({ t: 'inv.send', i: 1, id: 'a', to: 'b', c: '😀'.repeat(max / 4) }).kind,
      'frame',
    );
    rejects(
      { t: 'inv.send', i: 1, id: 'a', to: 'b', c: `${'😀'.repeat(max / 4)}x` },
      /^content: 8193 bytes; the limit is 8192 bytes/,
    );
    rejects({ t: 'inv.cancel', i: 2, id: 'a', c: 'é'.repeat(4097) }, /^content: 8194 bytes/);
    rejects({ t: 'inv.accept', i: 3, f: 'b', id: 'a', r: 'x'.repeat(max + 1) }, /^response: 8193/);
    rejects({ t: 'inv.refuse', i: 4, f: 'b', id: 'a', r: ['no'] }, /^response: must be a string/);
  });

  test('ids follow the uid rule; channelId is empty or a channel id', () => {
    rejects({ t: 'inv.send', i: 1, id: 'a', to: 'null' }, /^calleeId: must be 1-64 characters/);
    rejects({ t: 'inv.send', i: 1, id: 'a', to: 7 }, /^calleeId/);
    rejects({ t: 'inv.send', i: 1, id: '', to: 'b' }, /^invitationId: must be/);
    rejects(
      { t: 'inv.send', i: 1, id: 'a', to: 'b', ch: 'x'.repeat(65) },
      /^channelId: must be empty or/,
    );
    rejects({ t: 'inv.ack', i: 1, id: 'a' }, /^callerId: must be/);
    rejects({ t: 'inv.confirm', i: 1, id: { a: 1 } }, /^invitationId/);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelMessageError, PeerMessageError, parseClientFrame } from '../src/index.js';

const parse = (frame: Record<string, unknown>) => parseClientFrame(JSON.stringify(frame));
const text = { k: 'T', x: 'hi' };

test('psend and csend carry the historical-messaging flag only when it is true', () => {
  assert.deepEqual(parse({ t: 'psend', i: 1, to: 'bob', m: text, h: true }), {
    kind: 'frame',
    frame: { t: 'psend', i: 1, to: 'bob', m: text, off: false, h: true },
  });
  assert.deepEqual(parse({ t: 'psend', i: 2, to: 'bob', m: text, h: false }), {
    kind: 'frame',
    frame: { t: 'psend', i: 2, to: 'bob', m: text, off: false },
  });
  assert.deepEqual(parse({ t: 'csend', i: 3, c: 'lobby', m: text, h: true }), {
    kind: 'frame',
    frame: { t: 'csend', i: 3, c: 'lobby', m: text, h: true },
  });
  assert.deepEqual(parse({ t: 'csend', i: 4, c: 'lobby', m: text, force: true }), {
    kind: 'frame',
    frame: { t: 'csend', i: 4, c: 'lobby', m: text, force: true },
  });
});

test('a historical-messaging flag that is not a boolean is refused, naming the option', () => {
  assert.deepEqual(parse({ t: 'psend', i: 1, to: 'bob', m: text, h: 'yes' }), {
    kind: 'reject',
    id: 1,
    op: 'psend',
    code: PeerMessageError.INVALID_MESSAGE,
    message: 'options.enableHistoricalMessaging: must be a boolean',
  });
  assert.deepEqual(parse({ t: 'csend', i: 2, c: 'lobby', m: text, h: 1 }), {
    kind: 'reject',
    id: 2,
    op: 'csend',
    code: ChannelMessageError.INVALID_MESSAGE,
    message: 'options.enableHistoricalMessaging: must be a boolean',
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoginResult, parseServerFrame, type ServerFrame } from '@parley/protocol';

const metadata = { items: [{ k: 'mood', v: 'happy', r: 3, ts: 10, a: 'bob' }], mr: 4 };

/** One well-formed frame of every server frame type (and of every invitation event). */
const GOOD: ServerFrame[] = [
  { t: 'ok', i: 1 },
  { t: 'ok', i: 2, r: { anything: true } },
  { t: 'err', i: 3, c: 102, m: 'not logged in' },
  { t: 'pong', ts: 5 },
  { t: 'exp', exp: 99 },
  { t: 'kick', why: 'REMOTE_LOGIN' },
  { t: 'bye' },
  { t: 'msg', s: 1, mid: 'm1', f: 'bob', m: { k: 'T', x: 'hi' }, ts: 7 },
  { t: 'msg', s: 2, mid: 'm2', f: 'bob', m: { k: 'R', b: 'AQI=', d: 'two bytes' }, ts: 7, off: 1 },
  { t: 'pst', s: 3, st: { bob: 'ONLINE', eve: 'UNREACHABLE' } },
  { t: 'umeta', s: 4, u: 'bob', d: metadata },
  { t: 'linv', s: 5, id: 'x', e: 'ReceivedByPeer' },
  { t: 'linv', s: 6, id: 'x', e: 'Accepted', r: 'yes' },
  { t: 'linv', s: 7, id: 'x', e: 'Failure', why: 'PEER_OFFLINE' },
  { t: 'rinv', s: 8, f: 'bob', id: 'x', e: 'Received', ch: 'room', c: 'call me' },
  { t: 'rinv', s: 9, f: 'bob', id: 'x', e: 'Canceled', c: '' },
  { t: 'rinv', s: 10, f: 'bob', id: 'x', e: 'Accepted' },
  { t: 'cmsg', c: 'room', cs: 1, f: 'bob', m: { k: 'T', x: 'hi all' }, ts: 8 },
  { t: 'mjoin', c: 'room', cs: 2, u: 'eve' },
  { t: 'mleft', c: 'room', cs: 3, u: 'eve' },
  {
    t: 'cattrs',
    c: 'room',
    cs: 4,
    attrs: { topic: { value: 'x', lastUpdateUserId: 'bob', lastUpdateTs: 9 } },
  },
  { t: 'cmeta', c: 'room', cs: 5, d: metadata },
  { t: 'ccount', c: 'room', n: 2 },
];

/** Fields a frame may lack, by type. */
const OPTIONAL: Readonly<Record<string, readonly string[]>> = { ok: ['r'], msg: ['off'] };

describe('parseServerFrame', () => {
  test('answers every well-formed frame as it is', () => {
    for (const f of GOOD) assert.deepEqual(parseServerFrame(JSON.stringify(f)), f, f.t);
  });

  test('drops a frame that lacks a required field, for every field of every frame', () => {
    let checked = 0;
    for (const f of GOOD)
      for (const key of Object.keys(f)) {
        if (key === 't' || OPTIONAL[f.t]?.includes(key)) continue;
        const broken: Record<string, unknown> = { ...f };
        delete broken[key];
        assert.equal(parseServerFrame(JSON.stringify(broken)), undefined, `${f.t} without ${key}`);
        checked++;
      }
    assert.ok(checked > 50, `${checked} fields checked`);
  });

  test('drops a frame whose field has the wrong type or value', () => {
    const bad = [
      { t: 'ok', i: '1' },
      { t: 'err', i: 1, c: '102', m: 'x' },
      { t: 'kick', why: 'BORED' },
      { t: 'msg', s: 1, mid: 'm', f: 'bob', m: { k: 'T', x: 7 }, ts: 1 },
      { t: 'msg', s: 1, mid: 'm', f: 'bob', m: { k: 'X', x: 'hi' }, ts: 1 },
      { t: 'msg', s: 1, mid: 'm', f: 'bob', m: { k: 'R', b: 'AQI=', d: 5 }, ts: 1 },
      { t: 'pst', s: 1, st: { bob: 'AWAY' } },
      { t: 'pst', s: 1, st: ['ONLINE'] },
      { t: 'umeta', s: 1, u: 'bob', d: { items: [{ k: 'a', v: 'b' }], mr: 1 } },
      { t: 'linv', s: 1, id: 'x', e: 'Accepted' },
      { t: 'linv', s: 1, id: 'x', e: 'Exploded' },
      { t: 'linv', s: 1, id: 'x', e: 'toString' },
      { t: 'rinv', s: 1, f: 'bob', id: 'x', e: 'Received', ch: 'room' },
      { t: 'cattrs', c: 'room', cs: 1, attrs: { topic: { value: 'x' } } },
      { t: 'ccount', c: 'room', n: null },
    ];
    for (const f of bad)
      assert.equal(parseServerFrame(JSON.stringify(f)), undefined, JSON.stringify(f));
  });

  test('drops what is not a server frame at all', () => {
    for (const text of [
      '',
      'not json',
      '[]',
      '42',
      'null',
      '{}',
      '{"t":5}',
      '{"t":"login","i":1}',
      '{"t":"constructor"}',
      '{"t":"hasOwnProperty"}',
    ])
      assert.equal(parseServerFrame(text), undefined, text);
  });
});

describe('isLoginResult', () => {
  const good = { sid: 's', resumed: false, ts: 1, exp: 0, hb: 2500 };

  test('accepts a login result, with or without channel sequences', () => {
    assert.equal(isLoginResult(good), true);
    assert.equal(isLoginResult({ ...good, resumed: true, cs: { room: 4 } }), true);
    const inv = { out: ['c1'], in: [{ f: 'alice', id: 'c2' }] };
    assert.equal(isLoginResult({ ...good, inv }), true);
  });

  test('refuses anything else', () => {
    assert.equal(isLoginResult(undefined), false);
    assert.equal(isLoginResult({ ...good, hb: '2500' }), false);
    assert.equal(isLoginResult({ ...good, resumed: 1 }), false);
    assert.equal(isLoginResult({ ...good, cs: { room: 'four' } }), false);
    assert.equal(isLoginResult({ ...good, inv: { out: ['c1'], in: [{ f: 'alice' }] } }), false);
    assert.equal(isLoginResult({ ...good, inv: { out: 'c1', in: [] } }), false);
    const { sid: _sid, ...noSid } = good;
    assert.equal(isLoginResult(noSid), false);
  });
});

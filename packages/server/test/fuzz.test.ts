/**
 * 10,000 random and mutated frames on raw sockets. Each frame must get what the protocol
 * promises, exactly once and nothing else: a malformed frame closes its socket with BAD_FRAME
 * and a reason, and gets no reply; a rejected request gets one `err` with its id and the
 * validator's code (102 before login); any other request one reply; a ping one pong; an ack
 * nothing. Afterwards the server still serves: a probe logs in and exchanges a message, and
 * /healthz answers 200. On two Redis nodes the raw sockets are on the first node and the probes
 * their messages go to on the second.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CloseCode,
  decodeFrame,
  LoginError,
  PeerMessageError,
  parseClientFrame,
  type ClientFrame,
} from '@parley/protocol';
import {
  APP,
  client,
  loggedIn,
  RawSocket,
  startTopology,
  TOPOLOGIES,
  type Frame,
} from '@parley/testkit';

const FRAMES = 10_000;
/** Sockets fuzzed side by side (each frame still waits for its answer on its own socket). */
const LANES = 8;
/** Requests sent before the test looks at the answers (a malformed frame looks at once). */
const BATCH = 50;
/** 102 in every op's error table: a request before login. */
const NOT_LOGGED_IN = PeerMessageError.USER_NOT_LOGGED_IN;
/**
 * The test numbers every frame that has a valid id, from here up: one reply per id can then
 * be counted. (A mutation that breaks `i` is kept: that frame is malformed.)
 */
const FIRST_ID = 2 ** 40;

const requests: Record<string, unknown>[] = [
  { t: 'psend', i: 1, to: 'fuzz-probe', m: { k: 'T', x: 'hi' } },
  { t: 'psend', i: 2, to: 'fuzz-probe', m: { k: 'R', b: 'AAEC', d: 'd' }, off: true },
  { t: 'pquery', i: 3, ids: ['a', 'b'] },
  { t: 'psub', i: 4, ids: ['a'] },
  { t: 'punsub', i: 5, ids: ['a'] },
  { t: 'plist', i: 6, o: 'ONLINE_STATUS' },
  { t: 'renew', i: 7, k: 'token' },
  { t: 'login', i: 8, a: APP, u: 'fuzz-other', r: { sid: 'x', s: 1 } },
];
const validFrames = [...requests, { t: 'ack', s: 3 }, { t: 'ping' }];

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Any field of a frame (its type and id too) replaced by any JSON value. */
const mutated = fc
  .tuple(
    fc.constantFrom(...validFrames),
    fc.constantFrom('t', 'i', 'to', 'm', 'ids', 'k', 's', 'o', 'off', 'r', 'a', 'u'),
    anyJson,
  )
  .map(([f, key, v]) => JSON.stringify({ ...f, [key]: v }));
/** Values near a field's rules: empty, too long, spaces, wrong types, too many items. */
const nearMiss = fc.oneof(
  anyJson,
  fc.constantFrom('', ' ', 'has space', 'x'.repeat(65), 'é'.repeat(40), -1, 0.5, 2 ** 60, null),
  fc.constantFrom(true, [], {}, ['a', 7], { k: 'T' }, { k: 'T', x: 'x'.repeat(40_000) }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 600 }),
);
/** One field (not the type or the id) of a request set to a near miss: mostly rejected. */
const broken = fc
  .constantFrom(...requests)
  .chain((f) =>
    fc.tuple(
      fc.constant(f),
      fc.constantFrom(...Object.keys(f).filter((k) => k !== 't' && k !== 'i')),
      nearMiss,
    ),
  )
  .map(([f, key, v]) => JSON.stringify({ ...f, [key]: v }));
const frame = fc.oneof(
  { arbitrary: mutated, weight: 4 },
  { arbitrary: broken, weight: 8 },
  { arbitrary: anyJson.map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
  { arbitrary: fc.constantFrom(...validFrames).map((f) => JSON.stringify(f)), weight: 4 },
);

/** What the server owes one frame, from the protocol's own verdict on it. */
type Owed =
  | { kind: 'close' }
  | { kind: 'err'; id: number; code: number }
  | { kind: 'reply'; id: number; login: boolean; snapshotOf?: string[] }
  | { kind: 'pong' }
  | { kind: 'nothing' };

function owed(text: string, loggedIn: boolean): Owed {
  const p = parseClientFrame(text);
  if (p.kind === 'malformed') return { kind: 'close' };
  if (p.kind === 'reject')
    return { kind: 'err', id: p.id, code: !loggedIn && p.op !== 'login' ? NOT_LOGGED_IN : p.code };
  const f: ClientFrame = p.frame;
  if (f.t === 'ping') return { kind: 'pong' };
  if (f.t === 'ack') return { kind: 'nothing' };
  const id = (f as { i: number }).i;
  if (f.t === 'login')
    return loggedIn
      ? { kind: 'err', id, code: LoginError.ALREADY_LOGIN }
      : { kind: 'reply', id, login: true };
  if (!loggedIn) return { kind: 'err', id, code: NOT_LOGGED_IN };
  // A subscription answered `ok` is followed by the presence snapshot of its users.
  if (f.t === 'psub') return { kind: 'reply', id, login: false, snapshotOf: [...new Set(f.ids)] };
  return { kind: 'reply', id, login: false };
}

let nextId = FIRST_ID;

/**
 * Lanes log in to apps of their own: two lanes' random user ids may meet, and a message or a
 * login from one would reach the other's socket (each lane's app has its own probe).
 */
const laneApp = (lane: number) => `fuzz_${lane}`;

/**
 * Gives a frame with a valid id a fresh one, so that its replies can be counted, and moves
 * the template login to the lane's app.
 */
function numbered(text: string, lane: number): string {
  // Anything the codec cannot decode is malformed whatever its id: left as it is.
  const v = decodeFrame(text);
  if (!v || !Number.isSafeInteger(v.i) || (v.i as number) < 0) return text;
  return JSON.stringify({ ...v, i: nextId++, ...(v.a === APP && { a: laneApp(lane) }) });
}

interface Tally {
  closes: number;
  errs: number;
  replies: number;
  pongs: number;
}

/** One socket at a time, reopened after each malformed frame; half of them log in first. */
class Lane {
  private socket: RawSocket | undefined;
  private loggedIn = false;
  private opened = 0;
  /** Frames sent and not yet checked, and where their answers start in `socket.frames`. */
  private sent: { text: string; owed: Owed }[] = [];
  private from = 0;

  constructor(
    private readonly url: string,
    private readonly lane: number,
    private readonly tally: Tally,
  ) {}

  async run(frames: string[]): Promise<void> {
    for (const text of frames) {
      const socket = await this.ready();
      const o = owed(text, this.loggedIn);
      if (o.kind === 'close') {
        await this.check();
        socket.send(text);
        const closed = await socket.waitClosed();
        assert.equal(closed.code, CloseCode.BAD_FRAME, `close code after ${text.slice(0, 120)}`);
        assert.ok(closed.reason.length > 0, `a close reason after ${text.slice(0, 120)}`);
        assert.deepEqual(socket.frames.slice(this.from), [], `no reply to ${text.slice(0, 120)}`);
        this.tally.closes++;
        this.socket = undefined;
        continue;
      }
      socket.send(text);
      this.sent.push({ text, owed: o });
      if ((o.kind === 'reply' && o.login) || this.sent.length >= BATCH) await this.check();
    }
    await this.check();
    this.socket?.close();
  }

  private async ready(): Promise<RawSocket> {
    if (this.socket) return this.socket;
    const socket = await RawSocket.open(this.url);
    this.opened++;
    this.loggedIn = false;
    if (this.opened % 2 === 0) {
      const reply = await socket.request({
        t: 'login',
        i: nextId++,
        a: laneApp(this.lane),
        u: `fuzz-${this.opened}`,
      });
      assert.equal(reply.t, 'ok', JSON.stringify(reply));
      this.loggedIn = true;
    }
    this.socket = socket;
    this.from = socket.frames.length;
    return socket;
  }

  /**
   * Sends a marker request and waits for its reply and for one to each request sent: then
   * every answer the server gave so far is in (its frames on a socket are ordered), and
   * a second answer to an earlier frame would show here or at a later check.
   */
  private async check(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const marker = nextId++;
    socket.send({ t: 'pquery', i: marker, ids: ['fuzz-probe'] });
    // Only this check's window of the socket's frames is looked at (a socket may get many).
    const window = () => socket.frames.slice(this.from);
    const ids = [marker];
    for (const { owed: o } of this.sent) if (o.kind === 'err' || o.kind === 'reply') ids.push(o.id);
    const snapshotsOwed = this.sent.filter(({ owed: o }) => o.kind === 'reply' && o.snapshotOf);
    const complete = () => {
      if (socket.closed !== undefined) return true;
      const got = window();
      const answered = new Map(got.map((f) => [f.i, f]));
      if (!ids.every((id) => answered.has(id))) return false;
      const owed = snapshotsOwed.filter(
        ({ owed: o }) => answered.get((o as { id: number }).id)?.t === 'ok',
      ).length;
      return got.filter((f) => f.t === 'pst').length >= owed;
    };
    const what = () => this.sent.map((s) => s.text.slice(0, 80)).join(' | ');
    await socket.waitFor(complete, `answers to ${this.sent.length} frames`);
    if (socket.closed)
      assert.fail(`the socket closed (${JSON.stringify(socket.closed)}) after ${what()}`);
    const got = window();
    const unexplained = new Set<Frame>(got);
    const one = (id: number, text: string): Frame => {
      const replies = got.filter((f) => f.i === id);
      if (replies.length !== 1)
        assert.fail(`one reply to ${text.slice(0, 200)}, not ${JSON.stringify(replies)}`);
      unexplained.delete(replies[0]!);
      return replies[0]!;
    };
    one(marker, 'the marker');
    const pongs = got.filter((f) => f.t === 'pong');
    for (const { text, owed: o } of this.sent) {
      if (o.kind === 'err') {
        const reply = one(o.id, text);
        if (reply.t !== 'err' || reply.c !== o.code || typeof reply.m !== 'string' || !reply.m)
          assert.fail(
            `err ${o.code} with a message for ${text.slice(0, 200)}, not ${JSON.stringify(reply)}`,
          );
        this.tally.errs++;
      } else if (o.kind === 'reply') {
        const reply = one(o.id, text);
        if (o.login && reply.t === 'ok') this.loggedIn = true;
        if (o.snapshotOf && reply.t === 'ok') {
          const keys = JSON.stringify([...o.snapshotOf].sort());
          const snapshot = [...unexplained].find(
            (f) => f.t === 'pst' && JSON.stringify(Object.keys(f.st as object).sort()) === keys,
          );
          if (!snapshot) assert.fail(`the presence snapshot after ${text.slice(0, 200)}`);
          unexplained.delete(snapshot);
        }
        this.tally.replies++;
      } else if (o.kind === 'pong') {
        const pong = pongs.shift();
        if (!pong) assert.fail(`a pong for ${text}`);
        unexplained.delete(pong);
        this.tally.pongs++;
      }
    }
    if (unexplained.size > 0)
      assert.deepEqual([...unexplained], [], `nothing else, after ${what()}`);
    this.sent = [];
    this.from = socket.frames.length;
  }
}

for (const kind of TOPOLOGIES)
  test(`${kind}: 10,000 random and mutated frames: each gets exactly its one err, reply or close; the server stays up`, async (t) => {
    const topo = await startTopology(kind, { sendRateCount: 1_000_000, loginTimeoutMs: 600_000 });
    t.after(() => topo.close());
    const [server, far] = topo.nodes;
    const probe = await loggedIn(far, 'fuzz-probe');
    // The probes the lanes' messages go to (`psend` to fuzz-probe, in each lane's app).
    const laneProbes = Array.from({ length: LANES }, (_, lane) => client(far, {}, laneApp(lane)));
    await Promise.all(laneProbes.map((p) => p.login({ uid: 'fuzz-probe' })));
    t.after(() => Promise.all(laneProbes.map((p) => p.logout())));
    const frames = fc.sample(frame, { numRuns: FRAMES, seed: 20261125 });
    const tally: Tally = { closes: 0, errs: 0, replies: 0, pongs: 0 };
    await Promise.all(
      Array.from({ length: LANES }, (_, lane) =>
        new Lane(server.url, lane, tally).run(
          frames.filter((_, n) => n % LANES === lane).map((f) => numbered(f, lane)),
        ),
      ),
    );
    t.diagnostic(`${kind}: answers: ${JSON.stringify(tally)}`);
    // Each kind of answer was exercised, rejections by the thousand.
    assert.ok(tally.closes > 1000 && tally.errs > 5000, JSON.stringify(tally));
    assert.ok(tally.replies > 1000 && tally.pongs > 300, JSON.stringify(tally));

    const other = await loggedIn(server, 'fuzz-check');
    assert.deepEqual(await other.sendMessageToPeer({ text: 'still here' }, 'fuzz-probe'), {
      hasPeerReceived: true,
    });
    assert.deepEqual(await probe.queryPeersOnlineStatus(['fuzz-check']), { 'fuzz-check': true });
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(health.status, 200);
    await Promise.all([probe.logout(), other.logout()]);
  });

/**
 * RtmConfig.clock drives every deadline and timer of the SDK: tests advance a ManualClock
 * instead of waiting, over real sockets (a real server, or a bare one where the scenario needs
 * a server that misbehaves).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  JoinChannelError,
  LoginError,
  PeerMessageError,
  RenewTokenError,
  type Clock,
} from '@parley/protocol';
import { BareServer, ManualClock, track, until } from '@parley/testkit';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../server/src/server.js';
import AgoraRTM, {
  RtmError,
  setDefaultTransport,
  type RtmClient,
  type RtmConfig,
  type SocketLike,
} from '../src/node.js';
import { getTransport } from '../src/transport.js';

const APP = 'clock_app';

function client(url: string, clock: Clock, config: RtmConfig = {}): RtmClient {
  return AgoraRTM.createInstance(APP, { serverUrl: url, clock, ...config });
}

function recordStates(c: RtmClient): string[] {
  const seen: string[] = [];
  c.on('ConnectionStateChanged', (s, r) => seen.push(`${s}/${r}`));
  return seen;
}

async function realServer(): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sdk-clock-')),
    logLevel: 'silent',
  });
}

test('a request the server never answers fails with its TIMEOUT code once requestTimeoutMs has passed on the clock, not before', async (t) => {
  const server = await BareServer.start();
  t.after(() => server.close());
  const clock = new ManualClock();
  const c = client(server.url, clock);
  await c.login({ uid: 'clock-a' });
  const join = track(c.createChannel('stalled').join());
  const send = track(c.sendMessageToPeer({ text: 'hi' }, 'clock-nobody'));
  await until(() => server.frames('psend').length === 1, 'the psend frame');
  assert.equal(server.frames('join').length, 1, 'the join went out');

  await clock.advance(9_999);
  assert.equal(join.settled, false, 'the join still waits 1 ms before its deadline');
  assert.equal(send.settled, false, 'the peer message still waits 1 ms before its deadline');

  await clock.advance(1);
  assert.ok(join.settled && send.settled, 'both failed at their deadline');
  const joinError = join.error as RtmError;
  assert.equal(joinError.code, JoinChannelError.TIMEOUT);
  assert.equal(joinError.name, 'RtmTimeoutError');
  assert.equal(joinError.message, 'Executing "RtmChannel.join" timed out after 10s');
  const sendError = send.error as RtmError;
  assert.equal(sendError.code, PeerMessageError.TIMEOUT);
  assert.equal(sendError.name, 'RtmTimeoutError');
  assert.equal(c.connectionState, 'CONNECTED', 'a timed-out request leaves the session alone');
  await c.logout();
});

test('a login the server never answers fails with LOGIN_TIMEOUT once loginTimeoutMs has passed on the clock, not before', async (t) => {
  const server = await BareServer.start({ answerLogin: false });
  t.after(() => server.close());
  const clock = new ManualClock();
  const c = client(server.url, clock);
  const states = recordStates(c);
  const login = track(c.login({ uid: 'clock-b' }));
  await until(() => server.frames('login').length === 1, 'the login frame');

  await clock.advance(11_999);
  assert.equal(login.settled, false);
  assert.deepEqual(states, ['CONNECTING/LOGIN']);

  await clock.advance(1);
  assert.ok(login.settled, 'the login failed at its deadline');
  const e = login.error as RtmError;
  assert.equal(e.code, LoginError.TIMEOUT);
  assert.equal(e.name, 'RtmTimeoutError');
  assert.equal(e.message, 'Executing "RtmClient.login" timed out after 12s');
  assert.deepEqual(states, ['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_TIMEOUT']);
  const socket = server.sockets[0]!;
  await until(() => socket.readyState === socket.CLOSED, 'the client to close its socket');
  assert.equal(clock.pending, 0, 'no timer of the client is left');
});

test('with no frame from the server for max(4 heartbeats, 10 s) of clock time the client reconnects; it pings every heartbeat meanwhile', async (t) => {
  const server = await BareServer.start({ answerPing: false, heartbeatMs: 1000 });
  t.after(() => server.close());
  const clock = new ManualClock();
  const c = client(server.url, clock);
  await c.login({ uid: 'clock-c' });
  const states = recordStates(c);

  await clock.advance(10_000);
  // The first sweep pings at once, then one ping per heartbeat: 250, 1250, …, 9250 ms.
  await until(() => server.frames('ping').length === 10, 'ten pings');
  assert.deepEqual(states, [], 'silent for exactly 10 s is not yet dead');

  await clock.advance(250);
  assert.deepEqual(states, ['RECONNECTING/INTERRUPTED']);
  await clock.advance(500); // past the first backoff (at most the 300 ms base)
  await until(() => server.frames('login').length === 2, 'the resume login');
  await until(() => c.connectionState === 'CONNECTED', 'CONNECTED again');
  assert.deepEqual(server.frames('login')[1]!.r, { sid: 'bare-1', s: 0, c: {} }, 'it resumed');
  await c.logout();
});

test('reconnect backoff: each attempt waits a jittered share of min(max, base × 2^attempt) on the clock', async (t) => {
  const server = await BareServer.start();
  t.after(() => server.close());
  // Full jitter draws the delay in [0, cap); a fixed draw of one half makes each delay cap / 2.
  const random = Math.random;
  Math.random = () => 0.5;
  t.after(() => (Math.random = random));
  // Record, on the clock, when each socket is opened and when the client hears it closed.
  const clock = new ManualClock();
  const opened: number[] = [];
  const closed: number[] = [];
  const nodeTransport = getTransport();
  setDefaultTransport((url, protocol) => {
    const ws = new WebSocket(url, protocol);
    opened.push(clock.now());
    ws.addEventListener('close', () => closed.push(clock.now()));
    return ws as unknown as SocketLike;
  });
  t.after(() => setDefaultTransport(nodeTransport));
  const c = client(server.url, clock, { reconnectBaseDelayMs: 1000, reconnectMaxDelayMs: 4000 });
  await c.login({ uid: 'clock-d' });
  const start = clock.now();

  // From now on the server refuses every socket: each attempt fails and backs off further.
  server.onConnection = (ws) => ws.terminate();
  server.sockets[0]!.terminate();
  const gaps: number[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    await until(() => closed.length === attempt, `close #${attempt}`);
    while (opened.length === attempt) await clock.advance(250);
    gaps.push(opened[attempt]! - closed[attempt - 1]!);
  }
  assert.deepEqual(gaps, [500, 1000, 2000, 2000], 'caps 1000, 2000, 4000, then max 4000');
  assert.equal(clock.now() - start, 5500);

  await until(() => closed.length === 5, 'the last refusal');
  server.onConnection = undefined;
  while (opened.length === 5) await clock.advance(250);
  await until(() => c.connectionState === 'CONNECTED', 'CONNECTED once the server answers');
  await c.logout();
});

test('a third login within one second of the clock is TOO_OFTEN; once the clock moved 1 s it goes through', async (t) => {
  const server = await realServer();
  t.after(() => server.close());
  const clock = new ManualClock();
  const c = client(server.url, clock);
  await c.login({ uid: 'clock-e' });
  await c.logout();
  await c.login({ uid: 'clock-e' });
  await c.logout();
  await assert.rejects(c.login({ uid: 'clock-e' }), (e: RtmError) => {
    assert.equal(e.code, LoginError.TOO_OFTEN);
    assert.equal(e.name, 'RtmInvokeTooOftenError');
    return true;
  });
  assert.equal(c.connectionState, 'DISCONNECTED');
  await clock.advance(999);
  await assert.rejects(
    c.login({ uid: 'clock-e' }),
    (e: RtmError) => e.code === LoginError.TOO_OFTEN,
  );
  await clock.advance(1);
  await c.login({ uid: 'clock-e' });
  assert.equal(c.connectionState, 'CONNECTED');
  await c.logout();
});

test('a third renewToken within one second of the clock is TOO_OFTEN; once the clock moved 1 s it goes through', async (t) => {
  const server = await realServer();
  t.after(() => server.close());
  const clock = new ManualClock();
  const c = client(server.url, clock);
  await c.login({ uid: 'clock-f' });
  await c.renewToken('token-1');
  await c.renewToken('token-2');
  await assert.rejects(c.renewToken('token-3'), (e: RtmError) => {
    assert.equal(e.code, RenewTokenError.TOO_OFTEN);
    assert.equal(e.name, 'RtmInvokeTooOftenError');
    return true;
  });
  await clock.advance(1000);
  await c.renewToken('token-4');
  await c.logout();
});

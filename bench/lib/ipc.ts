/**
 * Messages between the runner and its child processes: the server under test (pinned to one
 * core) and the load generator (pinned to the other). Both talk to the runner over Node's IPC
 * channel; the generator reaches the server only through the runner.
 */
import type { Params } from './params.js';

/**
 * The servers the bench knows. `bare` is a `ws` server that accepts sockets and does nothing;
 * `alt` is Parley from another checkout (`--compare DIR`), for before/after comparisons;
 * `b2r` is Socket.IO with `@socket.io/redis-adapter`, the multi-node baseline (S1R, S2R, S8R);
 * `hooks` is Parley with webhooks on for login and logout events (S1, S2: against Parley);
 * `b2a` is B2 relaying direct messages with Socket.IO acknowledgements end to end (S2): the
 * sender's ack fires once the receiver's client acknowledged, the guarantee of Parley's
 * `hasPeerReceived`.
 */
export type ServerKind = 'parley' | 'alt' | 'hooks' | 'b0' | 'b1' | 'b2' | 'b2a' | 'b2r' | 'bare';

/** What each server speaks, i.e. which load-generator client talks to it. */
export type Protocol = 'parley' | 'json' | 'socketio' | 'bare';

export const PROTOCOL: Record<ServerKind, Protocol> = {
  parley: 'parley',
  alt: 'parley',
  hooks: 'parley',
  b0: 'json',
  b1: 'json',
  b2: 'socketio',
  b2a: 'socketio',
  b2r: 'socketio',
  bare: 'bare',
};

export const LABEL: Record<ServerKind, string> = {
  parley: 'Parley',
  alt: 'Parley (--compare)',
  hooks: 'Parley + webhooks',
  b0: 'B0 naive ws',
  b1: 'B1 tuned ws',
  b2: 'B2 Socket.IO',
  b2a: 'B2A Socket.IO with acks',
  b2r: 'B2R Socket.IO + redis-adapter',
  bare: 'bare ws',
};

/** `process.memoryUsage()` after two full GCs. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Runner → server. Each carries an id; the server answers `{type:'reply', id, data}`. */
export type ServerCommand =
  | { cmd: 'mem' }
  | { cmd: 'profile-start' }
  | { cmd: 'profile-stop'; file: string }
  | { cmd: 'heap-snapshot'; file: string }
  /** Event-loop delay p99 and max since the last such command, ms. */
  | { cmd: 'loop-delay' }
  /**
   * Handled by the runner (S8): SIGTERM the node, wait for it to exit, start it again on the
   * same port. Answers `{ pid, downMs }` (the new process; SIGTERM → listening again, ms).
   */
  | { cmd: 'restart' }
  /**
   * Handled by the runner (S8R): SIGKILL the node (no drain, not started again) and answer
   * `{ exitMs }` once it has exited.
   */
  | { cmd: 'kill' }
  /**
   * Handled by the runner (S1, S2): with the `hooks` server, answers once its webhook receiver
   * has had `notices` notices since the job began and none for 500 ms (at most 60 s), so the
   * windows measure a server with webhooks on, not one still delivering the setup's logins.
   * Answers at once for other servers. Answers `{ received, waitedMs }`.
   */
  | { cmd: 'drain-hooks'; notices: number };

export type FromServer =
  { type: 'ready'; port: number } | { type: 'reply'; id: number; data: unknown };

/** A certified app for the login scenario (S6). */
export const BENCH_APP = {
  appId: '0123456789abcdef0123456789abcdef',
  appCertificate: 'fedcba9876543210fedcba9876543210',
} as const;

export interface Job {
  scenario: ScenarioId;
  server: ServerKind;
  /** One per node of the server under test (one node, or two sharing a Redis). */
  urls: string[];
  serverPids: number[];
  /** The Redis the nodes share (S1R, S2R, S8R), and its process when it runs on this machine. */
  redis?: { url: string; pid: number | undefined };
  params: Params;
  /** S7: the `key:secret` of the server's REST keys. */
  restKey?: string;
  /** Take a CPU profile of the server during an extra window after the measurement. */
  profileFile?: string;
  heapSnapshotFile?: string;
}

/**
 * S1R and S2R are S1 and S2 with the server as two nodes sharing a Redis; S7 is REST sending;
 * S9 a fan-out burst; S10 the SDK's receive cost; S8R the reconnect storm of a SIGKILLed node
 * onto the other of two.
 */
export type ScenarioId =
  'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8' | 'S9' | 'S10' | 'S1R' | 'S2R' | 'S8R';

/** A scenario's result for one server: named numbers (NaN = not measured) and notes. */
export interface ScenarioResult {
  metrics: Record<string, number>;
  notes: string[];
}

export type ToGenerator =
  { type: 'job'; job: Job } | { type: 'server-reply'; id: number; data: unknown };

export type FromGenerator =
  | { type: 'progress'; text: string }
  /** A command for node `node` (0-based) of the server under test. */
  | { type: 'server'; id: number; node: number; command: ServerCommand }
  | { type: 'result'; result: ScenarioResult }
  | { type: 'error'; message: string };

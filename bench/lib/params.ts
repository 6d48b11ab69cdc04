/**
 * Scenario sizes, rates and windows. `full` is what `npm run bench` runs; `quick` is a smoke run
 * (`npm run bench -- --quick`) with the same code paths at a fraction of the size.
 */
export interface Params {
  /** Bytes of every bench payload (message text). */
  payloadBytes: number;
  /** S1 channel fan-out. */
  s1: {
    /** Channel members, the publisher included (deliveries per publish = members - 1). */
    members: number;
    /** Open-loop publish rate, publishes/s. */
    rate: number;
    warmupMs: number;
    idleMs: number;
    /** The measurement: `slices` windows of `sliceMs`; each metric is the median over slices. */
    slices: number;
    sliceMs: number;
    /** Closed-loop phase: publishes kept in flight, and its length. */
    maxInFlight: number;
    maxMs: number;
  };
  /** S2 peer relay. */
  s2: {
    pairs: number;
    rate: number;
    warmupMs: number;
    idleMs: number;
    slices: number;
    sliceMs: number;
  };
  /**
   * S1R: S1's open loop with the server as two nodes sharing a Redis; members alternate between
   * the nodes (the publisher is on the first). No closed loop: both nodes share one core.
   */
  s1r: {
    members: number;
    rate: number;
    warmupMs: number;
    idleMs: number;
    slices: number;
    sliceMs: number;
  };
  /**
   * S2R: S2 with every sender on the first node and every receiver on the second (at a lower
   * rate: both nodes share one core).
   */
  s2r: Params['s2'];
  /** S3 presence churn: `churners` members leave while as many others join, alternately. */
  s3: {
    members: number;
    churners: number;
    rate: number;
    warmupMs: number;
    idleMs: number;
    measureMs: number;
  };
  /** S4 invitation round trips under S1 load. */
  s4: { members: number; rate: number; warmupMs: number; roundTrips: number; intervalMs: number };
  /** S5 idle connections. */
  s5: { connections: number };
  /**
   * S6 logins. The warm-up is as long as a measured batch: with 300 logins the servers (and the
   * generator) were still compiling their login paths in the measured window (TurboFan's
   * passes in `perf`), and every server read 1.5–2.6× its warm CPU per login.
   */
  s6: { logins: number; concurrency: number; warmupLogins: number };
  /**
   * S7 REST peer messages: `concurrency` keep-alive HTTP connections each send one after the
   * other (closed loop) to `receivers` logged-in clients, for `measureMs` after a warm-up.
   */
  s7: { receivers: number; concurrency: number; warmupMs: number; measureMs: number };
  /** S8 reconnect storm: `clients` in `channels` channels; the server restarts; `maxMs` to wait. */
  s8: { clients: number; channels: number; maxMs: number };
  /**
   * S9 fan-out burst: `publishers` of the channel's `members` each publish one message every
   * `intervalMs`, `messages` times (one burst); `slices` bursts measured, `gapMs` apart.
   */
  s9: {
    members: number;
    publishers: number;
    messages: number;
    intervalMs: number;
    warmupBursts: number;
    idleMs: number;
    slices: number;
    gapMs: number;
  };
  /**
   * S10 SDK receive cost: `receivers` clients of the client library under test in one process,
   * in one channel, get a publisher's `rate` messages/s; that process's CPU over `slices`
   * windows of `sliceMs` after a warm-up, net of its CPU over `idleMs` with nothing sent.
   */
  s10: {
    receivers: number;
    rate: number;
    warmupMs: number;
    idleMs: number;
    slices: number;
    sliceMs: number;
  };
  /**
   * S8R: `clients` spread over two nodes (client k starts on node k mod 2, listing both) in
   * `channels` channels; node A is SIGKILLed; `maxMs` to wait for its clients on node B.
   */
  s8r: { clients: number; channels: number; maxMs: number };
  /** Connections opened at once while setting up. */
  connectConcurrency: number;
}

export const FULL: Params = {
  payloadBytes: 128,
  s1: {
    members: 1000,
    rate: 50,
    warmupMs: 3000,
    idleMs: 2000,
    slices: 3,
    sliceMs: 2000,
    maxInFlight: 8,
    maxMs: 4000,
  },
  s2: { pairs: 1000, rate: 10_000, warmupMs: 2000, idleMs: 2000, slices: 3, sliceMs: 2000 },
  s3: { members: 1000, churners: 100, rate: 40, warmupMs: 2000, idleMs: 2000, measureMs: 6000 },
  s1r: { members: 1000, rate: 50, warmupMs: 3000, idleMs: 2000, slices: 3, sliceMs: 2000 },
  // Half S2's rate: both nodes share one core, and at 10,000 messages/s Parley's two nodes need
  // about all of it (≈ 100 µs per message), so queues, not the servers, set the latency.
  s2r: { pairs: 1000, rate: 5000, warmupMs: 2000, idleMs: 2000, slices: 3, sliceMs: 2000 },
  s4: { members: 1000, rate: 50, warmupMs: 2000, roundTrips: 40, intervalMs: 100 },
  s5: { connections: 10_000 },
  s6: { logins: 3000, concurrency: 64, warmupLogins: 3000 },
  s7: { receivers: 100, concurrency: 32, warmupMs: 2000, measureMs: 6000 },
  s8: { clients: 5000, channels: 50, maxMs: 60_000 },
  s8r: { clients: 2000, channels: 20, maxMs: 60_000 },
  s10: { receivers: 100, rate: 100, warmupMs: 2000, idleMs: 3000, slices: 3, sliceMs: 2000 },
  s9: {
    members: 400,
    publishers: 10,
    messages: 20,
    intervalMs: 20,
    warmupBursts: 3,
    idleMs: 2000,
    slices: 5,
    gapMs: 200,
  },
  connectConcurrency: 100,
};

export const QUICK: Params = {
  payloadBytes: 128,
  s1: {
    members: 200,
    rate: 50,
    warmupMs: 1000,
    idleMs: 1000,
    slices: 1,
    sliceMs: 2000,
    maxInFlight: 8,
    maxMs: 1500,
  },
  s2: { pairs: 200, rate: 2000, warmupMs: 1000, idleMs: 1000, slices: 1, sliceMs: 2000 },
  s3: { members: 200, churners: 20, rate: 20, warmupMs: 1000, idleMs: 1000, measureMs: 2000 },
  s1r: { members: 200, rate: 50, warmupMs: 1000, idleMs: 1000, slices: 1, sliceMs: 2000 },
  s2r: { pairs: 200, rate: 2000, warmupMs: 1000, idleMs: 1000, slices: 1, sliceMs: 2000 },
  s4: { members: 200, rate: 50, warmupMs: 1000, roundTrips: 10, intervalMs: 100 },
  s5: { connections: 1000 },
  s6: { logins: 500, concurrency: 32, warmupLogins: 50 },
  s7: { receivers: 20, concurrency: 16, warmupMs: 500, measureMs: 2000 },
  s8: { clients: 500, channels: 5, maxMs: 30_000 },
  s8r: { clients: 200, channels: 4, maxMs: 30_000 },
  s10: { receivers: 20, rate: 100, warmupMs: 1000, idleMs: 1000, slices: 1, sliceMs: 2000 },
  s9: {
    members: 100,
    publishers: 5,
    messages: 10,
    intervalMs: 20,
    warmupBursts: 1,
    idleMs: 1000,
    slices: 1,
    gapMs: 200,
  },
  connectConcurrency: 100,
};

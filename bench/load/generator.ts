/**
 * The load generator process (pinned to its own core by the runner): receives one job, runs
 * that scenario against one server, reports progress and the result, and exits.
 */
import {
  PROTOCOL,
  type FromGenerator,
  type Job,
  type ScenarioId,
  type ScenarioResult,
  type ServerCommand,
  type ToGenerator,
} from '../lib/ipc.js';
import { Ctx } from './context.js';
import { s1, s1r } from './scenarios/s1-fanout.js';
import { s2, s2r } from './scenarios/s2-peer.js';
import { s3 } from './scenarios/s3-churn.js';
import { s4 } from './scenarios/s4-invite.js';
import { s5 } from './scenarios/s5-memory.js';
import { s6 } from './scenarios/s6-logins.js';
import { s7 } from './scenarios/s7-rest.js';
import { s8 } from './scenarios/s8-storm.js';
import { s9 } from './scenarios/s9-burst.js';
import { s10 } from './scenarios/s10-sdk-receive.js';
import { s8r } from './scenarios/s8r-kill.js';

const SCENARIOS: Record<ScenarioId, (ctx: Ctx) => Promise<ScenarioResult>> = {
  S1: s1,
  S2: s2,
  S3: s3,
  S4: s4,
  S5: s5,
  S6: s6,
  S7: s7,
  S8: s8,
  S9: s9,
  S10: s10,
  S1R: s1r,
  S2R: s2r,
  S8R: s8r,
};

const send = (m: FromGenerator) => process.send?.(m);
const waiting = new Map<number, (data: unknown) => void>();
let nextId = 1;

function server(command: ServerCommand, node = 0): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send({ type: 'server', id, node, command });
  });
}

async function run(job: Job): Promise<void> {
  const ctx = new Ctx(
    job,
    PROTOCOL[job.server],
    (text) => send({ type: 'progress', text }),
    server,
  );
  try {
    const result = await SCENARIOS[job.scenario](ctx);
    for (const u of uncaught) result.notes.push(`uncaught error in the generator: ${u}`);
    send({ type: 'result', result });
  } catch (err) {
    send({
      type: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  } finally {
    ctx.close();
  }
}

// Code under test (the SDK in S4) may throw from its own callbacks: report it, keep measuring.
export const uncaught: string[] = [];
const keep = (err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (uncaught.length < 5) uncaught.push(text.split('\n').slice(0, 3).join(' | '));
};
process.on('uncaughtException', keep);
process.on('unhandledRejection', keep);

process.on('message', (m: ToGenerator) => {
  if (m.type === 'job') void run(m.job);
  else waiting.get(m.id)?.(m.data);
});
process.on('disconnect', () => process.exit(0));

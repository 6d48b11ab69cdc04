/**
 * The control channel every bench server runs beside its sockets: it tells the runner its port,
 * and on request reports memory after full GCs, takes a CPU profile of a window, or writes a
 * heap snapshot. Nothing here runs on the message path.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { FromServer, MemorySample, ServerCommand } from '../lib/ipc.js';

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): MemorySample {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

let profiler: Session | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

async function handle(c: ServerCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'mem':
      return memory();
    case 'profile-start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      return true;
    case 'profile-stop': {
      if (!profiler) return false;
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      writeFileSync(c.file, JSON.stringify(profile));
      return true;
    }
    case 'loop-delay': {
      // Event-loop delay since the last reading, ms.
      const r = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      loopDelay.reset();
      return r;
    }
    case 'heap-snapshot':
      if (gc) gc();
      v8.writeHeapSnapshot(c.file);
      return true;
  }
}

/** Reports `port` to the runner and serves its commands until the runner goes away. */
export function serveControl(port: number): void {
  const send = (m: FromServer) => process.send?.(m);
  process.on('message', (m: { id: number } & ServerCommand) => {
    handle(m).then(
      (data) => send({ type: 'reply', id: m.id, data }),
      (err: unknown) => send({ type: 'reply', id: m.id, data: { error: String(err) } }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ type: 'ready', port });
}

/** `--flag value` from argv, or undefined. */
export function arg(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
}

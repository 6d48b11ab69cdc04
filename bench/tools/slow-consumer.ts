/**
 * The slow-consumer measurement of issue 15: a node in its own process, one channel carrying
 * ~400 messages/s of 16 KB to `others` SDK members, and (but in the baseline) one member in a
 * process of its own that keeps pinging but never reads. Prints the node's peak RSS (VmHWM) and
 * the others' delivery latency (p50/p99/max, send to receive) for three runs: no slow member;
 * a slow member with the socket-buffer limit off (as before issue 15); the default 4 MiB limit.
 *
 *   node --conditions=source --import tsx bench/tools/slow-consumer.ts [seconds=20] [others=20]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RtmChannel, RtmClient } from '@parley/sdk';
import { APP, loggedIn, startNode, until } from '@parley/testkit';

const SLOW_READER = fileURLToPath(
  new URL('../../packages/server/test/slow-reader.ts', import.meta.url),
);
const seconds = Number(process.argv[2] ?? 20);
const others = Number(process.argv[3] ?? 20);

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

async function run(name: string, slow: boolean, limit: number) {
  const node = await startNode({ maxSocketBufferBytes: limit, sendRateCount: 1_000_000 });
  const child = slow
    ? spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          SLOW_READER,
          node.url,
          APP,
          'sc-slow',
          'sc-room',
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      )
    : undefined;
  const lines: string[] = [];
  if (child) {
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    await until(() => lines.includes('joined'), 'slow reader joined', 30_000);
  }
  const latencies: number[] = [];
  const clients: RtmClient[] = [];
  for (let n = 0; n < others; n++) {
    const c = await loggedIn(node.url, `sc-rx-${n}`);
    const ch = c.createChannel('sc-room');
    ch.on('ChannelMessage', (m) => latencies.push(Date.now() - Number(m.text!.slice(0, 13))));
    await ch.join();
    clients.push(c);
  }
  const tx = await loggedIn(node.url, 'sc-tx');
  const txCh: RtmChannel = tx.createChannel('sc-room');
  await txCh.join();
  const pad = 'x'.repeat(16 * 1024 - 13);
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < 4; k++) {
      sent++;
      txCh.sendMessage({ text: `${Date.now()}${pad}` }).catch(() => undefined);
    }
  }, 10);
  await until(() => Date.now() > end, 'the run', seconds * 1000 + 5000);
  clearInterval(timer);
  await until(() => latencies.length >= sent * others * 0.99, 'deliveries', 30_000).catch(
    () => undefined,
  );
  const peak = peakRssMb(node.child.pid!);
  const sorted = [...latencies].sort((a, b) => a - b);
  let closed = 'n/a';
  if (child) {
    child.stdin!.write('read\n');
    await until(() => lines.some((l) => l.startsWith('closed ')), 'slow closed', 10_000).catch(
      () => undefined,
    );
    closed = lines.find((l) => l.startsWith('closed ')) ?? 'not closed (still connected)';
  }
  console.log(
    `${name}: sent ${sent} x 16 KB, others' deliveries ${latencies.length}/${sent * others}, ` +
      `latency p50 ${pct(sorted, 50)} ms p99 ${pct(sorted, 99)} ms max ${sorted.at(-1)} ms, ` +
      `node peak RSS ${peak} MB, slow member: ${closed}`,
  );
  for (const c of [...clients, tx]) await c.logout().catch(() => undefined);
  child?.kill('SIGKILL');
  await node.kill();
}

await run('baseline (no slow member)', false, 4 * 1024 * 1024);
await run('slow member, limit off', true, 1e12);
await run('slow member, 4 MiB limit', true, 4 * 1024 * 1024);
process.exit(0);

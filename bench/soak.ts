/**
 * The soak (issue 15, point 6): one node in its own process, `--connections` SDK clients that
 * stay connected while a tenth of them at any time churn (log out, log in again), join channels
 * of 20, send channel and peer messages (every fourth peer message flagged for offline storage)
 * and set attributes, for `--minutes`. Every 30 s the node collects garbage (SIGUSR2, run with
 * --expose-gc) and reports heap and RSS; the run passes when the last sample is within 10 % of
 * the one at the end of the warm-up (2 minutes, or a fifth of a shorter run).
 *
 *   npm run soak                         # 10 minutes, 1,000 connections
 *   npm run soak -- --minutes 1 --connections 200
 */
import { SERVER_NODE_FLAGS } from '@parley/server';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RtmClient } from '@parley/sdk';
import { client, tempDir } from '@parley/testkit';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1000' },
  },
});
const minutes = Number(values.minutes);
const connections = Number(values.connections);
const CLI = fileURLToPath(new URL('../packages/server/src/cli.ts', import.meta.url));
const MEMORY_PROBE =
  'data:text/javascript,process.on("SIGUSR2",()=>{globalThis.gc();const m=process.memoryUsage();' +
  'process.stdout.write("MEM "+m.heapUsed+" "+m.rss+"\\n")});';

interface Sample {
  at: number;
  heap: number;
  rss: number;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

async function main(): Promise<void> {
  const args = [
    '--expose-gc',
    ...SERVER_NODE_FLAGS, // as parley-server runs (its #! line)
    '--conditions=source',
    '--import',
    'tsx',
    '--import',
    MEMORY_PROBE,
    CLI,
  ];
  const flags = [
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    tempDir(),
    '--log-level',
    'warn',
  ];
  // Channel replay rings of 200 events (default 1000) fill within the warm-up at this rate (~2
  // messages/s per channel): growth after it is not a bounded buffer filling up.
  const limits = ['--send-rate-count', '100000', '--channel-replay-buffer', '200'];
  const node = spawn(process.execPath, [...args, ...flags, ...limits], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const samples: Sample[] = [];
  const started = Date.now();
  let url = '';
  node.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    url ||= /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? '';
    for (const m of text.matchAll(/MEM (\d+) (\d+)/g))
      samples.push({ at: (Date.now() - started) / 1000, heap: Number(m[1]), rss: Number(m[2]) });
  });
  while (!url) await pause(50);
  const end = started + minutes * 60_000;
  let logins = 0;
  let sent = 0;
  let received = 0;
  let errors = 0;

  /** One connection's life, again and again: hold 30–90 s (a tenth churn at any time). */
  async function slot(k: number): Promise<void> {
    await pause(between(0, 20_000)); // ramp up over 20 s
    while (Date.now() < end) {
      const c: RtmClient = client(url);
      c.on('MessageFromPeer', () => received++);
      try {
        await c.login({ uid: `soak-${k}` });
        logins++;
        const ch = c.createChannel(`soak-room-${k % Math.ceil(connections / 20)}`);
        ch.on('ChannelMessage', () => received++);
        await ch.join();
        await c.addOrUpdateLocalUserAttributes({ slot: String(k), at: String(Date.now()) });
        const leaveAt = Math.min(end, Date.now() + between(30_000, 90_000));
        for (let n = 0; Date.now() < leaveAt; n++) {
          await ch.sendMessage({ text: `c-${k}-${n}` });
          const to = `soak-${(k + 1) % connections}`;
          await c.sendMessageToPeer({ text: `p-${k}-${n}` }, to, {
            enableOfflineMessaging: n % 4 === 0,
          });
          sent += 2;
          await pause(between(8_000, 12_000));
        }
        await ch.leave();
      } catch {
        errors++;
      }
      await c.logout().catch(() => undefined);
      c.removeAllListeners();
    }
  }

  const sampler = setInterval(() => node.kill('SIGUSR2'), 30_000);
  // The last sample under load, before the clients log out.
  const lastUnderLoad = setTimeout(
    () => node.kill('SIGUSR2'),
    Math.max(0, end - Date.now() - 2000),
  );
  const progress = setInterval(() => {
    const s = samples.at(-1);
    process.stderr.write(
      `${((Date.now() - started) / 1000).toFixed(0)} s: logins ${logins}, sent ${sent}, received ${received}, errors ${errors}` +
        (s ? `, heap ${mb(s.heap)} MB, rss ${mb(s.rss)} MB` : '') +
        '\n',
    );
  }, 60_000);
  await Promise.all(Array.from({ length: connections }, (_, k) => slot(k)));
  clearTimeout(lastUnderLoad);
  clearInterval(sampler);
  clearInterval(progress);
  node.kill('SIGTERM');

  const warm = Math.min(120, (minutes * 60) / 5);
  const base = samples.find((s) => s.at >= warm) ?? samples[0];
  const last = samples.filter((s) => s.at * 1000 <= end - started).at(-1);
  if (!base || !last) throw new Error('no memory samples');
  const heapRatio = last.heap / base.heap;
  const rssRatio = last.rss / base.rss;
  const flat = heapRatio <= 1.1 && rssRatio <= 1.1;
  console.log(
    `soak: ${minutes} min, ${connections} connections; ${logins} logins, ${sent} messages sent, ${received} received, ${errors} errors`,
  );
  console.log(
    `heap after GC: ${mb(base.heap)} MB at ${base.at.toFixed(0)} s -> ${mb(last.heap)} MB at ${last.at.toFixed(0)} s (x${heapRatio.toFixed(3)})`,
  );
  console.log(
    `rss after GC:  ${mb(base.rss)} MB at ${base.at.toFixed(0)} s -> ${mb(last.rss)} MB at ${last.at.toFixed(0)} s (x${rssRatio.toFixed(3)})`,
  );
  console.log(flat ? 'FLAT (within 10 %)' : 'NOT FLAT (more than 10 % growth)');
  process.exit(flat ? 0 : 1);
}

await main();

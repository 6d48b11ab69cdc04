/**
 * The same load as peer_bench.cpp, driven by the TypeScript SDK: one sender, one receiver,
 * `window` messages in flight. Prints one JSON line.
 * Usage: node --conditions=source --import tsx peer-bench.ts <serverUrl> <messages> <window>
 */
import AgoraRTM from '@parley/sdk';

const [url, nArg, windowArg] = process.argv.slice(2);
const n = Number(nArg);
const window = Number(windowArg);
const receiver = AgoraRTM.createInstance('bench_app', { serverUrl: url! });
const sender = AgoraRTM.createInstance('bench_app', { serverUrl: url! });
await receiver.login({ uid: 'bench-receiver-ts' });
await sender.login({ uid: 'bench-sender-ts' });
let got = 0;
let failed = 0;
const all = new Promise<void>((resolve) =>
  receiver.on('MessageFromPeer', () => {
    if (++got === n) resolve();
  }),
);
let sent = 0;
const sendOne = (): void => {
  if (sent >= n) return;
  sent++;
  const m = sender.createMessage({ text: 'benchmark payload of some forty bytes..' });
  sender.sendMessageToPeer(m, 'bench-receiver-ts').then(
    (r) => {
      if (!r.hasPeerReceived) failed++;
      sendOne();
    },
    () => {
      failed++;
      sendOne();
    },
  );
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < window; i++) sendOne();
await all;
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuUs = cpu.user + cpu.system;
process.stdout.write(
  JSON.stringify({
    sdk: 'ts',
    messages: n,
    window,
    seconds: Number(secs.toFixed(3)),
    msgPerSec: Math.round(n / secs),
    cpuUsPerMsg: Number((cpuUs / n).toFixed(1)),
    failed,
  }) + '\n',
);
await sender.logout();
await receiver.logout();
process.exit(0);

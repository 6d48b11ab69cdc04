/**
 * The webhook receiver of the `hooks` server (S1, S2 with webhooks on): an HTTP server in the
 * runner's process (pinned to the load core) that answers every notice 200 at once, so what
 * the comparison measures is the server's side of the webhooks.
 */
import http from 'node:http';

export interface WebhookSink {
  /** parley-server flags that send login and logout notices here. */
  flags: string[];
  received(): number;
  /**
   * Resolves once `target` notices have arrived in all and none for 500 ms (at most 60 s):
   * `{ received, waitedMs }`. See ServerCommand `drain-hooks`.
   */
  drain(target: number): Promise<{ received: number; waitedMs: number }>;
  stop(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    flags: [
      '--webhook-url',
      `http://127.0.0.1:${port}/hooks`,
      '--webhook-secret',
      'bench-secret',
      '--webhook-events',
      'login,logout',
    ],
    received: () => count,
    async drain(target) {
      const t0 = performance.now();
      let last = -1;
      let stableSince = t0;
      while (performance.now() - t0 < 60_000) {
        const now = performance.now();
        if (count !== last) {
          last = count;
          stableSince = now;
        } else if (count >= target && now - stableSince >= 500) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return { received: count, waitedMs: Math.round(performance.now() - t0) };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

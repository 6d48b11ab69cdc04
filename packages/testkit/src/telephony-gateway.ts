/** A telephony gateway for tests: an HTTP server on 127.0.0.1 that records every POST. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Records every POST; answers `status` (or never, with `hang`). */
export class Gateway {
  readonly posts: { path: string; contentType: string; body: Record<string, unknown> }[] = [];
  status = 200;
  hang = false;
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Gateway> {
    const state = { gw: undefined as unknown as Gateway };
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        state.gw.posts.push({
          path: `${req.method} ${req.url}`,
          contentType: String(req.headers['content-type']),
          body: JSON.parse(data) as Record<string, unknown>,
        });
        if (state.gw.hang) return;
        res.writeHead(state.gw.status, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    state.gw = new Gateway(server);
    return state.gw;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/calls`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

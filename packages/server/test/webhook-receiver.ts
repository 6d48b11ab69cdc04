/**
 * A webhook receiver for the tests: an HTTP server on port 0 that verifies both of Agora's
 * signatures on every notice it gets, records it, and answers what `respond` says (a status,
 * or a promise the test settles to hold the answer back).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface Notice {
  noticeId: string;
  productId: number;
  eventType: number;
  notifyMs: number;
  payload: Record<string, unknown>;
}

export interface Received {
  notice: Notice;
  raw: string;
  /** Both signatures verified (as an Agora handler checks them: hex HMACs of the raw body). */
  signed: boolean;
}

const hmac = (alg: string, secret: string, body: string) =>
  createHmac(alg, secret).update(body).digest('hex');

function same(a: string, b: string | string[] | undefined): boolean {
  return (
    typeof b === 'string' &&
    a.length === b.length &&
    timingSafeEqual(Buffer.from(a), Buffer.from(b))
  );
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The answer to the next notice (default 200). */
  respond: (n: Notice, k: number) => number | Promise<number> = () => 200;
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private readonly secret: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/agora-notifications`;
  }

  static async start(secret: string, port = 0): Promise<WebhookReceiver> {
    const state: { r?: WebhookReceiver } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const r = state.r!;
        const signed =
          req.method === 'POST' &&
          /^application\/json/.test(req.headers['content-type'] ?? '') &&
          same(hmac('sha1', r.secret, raw), req.headers['agora-signature']) &&
          same(hmac('sha256', r.secret, raw), req.headers['agora-signature-v2']);
        const notice = JSON.parse(raw) as Notice;
        const k = r.received.push({ notice, raw, signed }) - 1;
        void Promise.resolve(r.respond(notice, k)).then((status) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end('{}');
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    state.r = new WebhookReceiver(server, (server.address() as { port: number }).port, secret);
    return state.r;
  }

  /** Notices of one event type, in the order they came. */
  of(eventType: number): Notice[] {
    return this.received.map((r) => r.notice).filter((n) => n.eventType === eventType);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on (for a receiver that is down). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

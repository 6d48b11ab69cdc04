/**
 * One attempt to deliver a notice: a POST that counts as delivered on a 2xx answer within the
 * timeout. The timeout runs on the injected clock; anything else (a refused connection, a
 * non-2xx status, a reset) is a failed attempt.
 *
 * `node:http(s)` with a keep-alive agent rather than `fetch`: fetch loads undici (megabytes of
 * code and heap for every GC to walk) into a server that otherwise never needs it — bench S1/S2
 * with webhooks on measure that.
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '@parley/protocol';

export type Post = (url: string, body: string, headers: Record<string, string>) => Promise<boolean>;

export function httpPost(clock: Clock, timeoutMs: number): Post {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };
  return (url, body, headers) =>
    new Promise<boolean>((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return resolve(false);
      }
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return resolve(false);
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        clock.clear(timer);
        resolve(ok);
      };
      const req = (secure ? https : http).request(
        target,
        {
          method: 'POST',
          agent: agents[secure ? 'https:' : 'http:'],
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.resume();
          res.on('end', () => finish(status >= 200 && status < 300));
          res.on('error', () => finish(false));
        },
      );
      const timer = clock.setTimeout(() => {
        finish(false);
        req.destroy();
      }, timeoutMs);
      req.on('error', () => finish(false));
      req.end(body);
    });
}

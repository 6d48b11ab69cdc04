/**
 * One attempt to deliver a notice: a POST that counts as delivered on a 2xx answer within the
 * timeout. The timeout runs on the injected clock; anything else (a refused connection, a
 * non-2xx status, a reset) is a failed attempt.
 */
import type { Clock } from '@parley/protocol';

export type Post = (url: string, body: string, headers: Record<string, string>) => Promise<boolean>;

export function httpPost(clock: Clock, timeoutMs: number): Post {
  return async (url, body, headers) => {
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        signal: abort.signal,
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    } finally {
      clock.clear(timer);
    }
  };
}

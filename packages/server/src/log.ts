import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout, one object a line. A stdout that closes (the reader of a pipe
 * went away: EPIPE) loses the lines from then on and stops nothing.
 */
export function createLogger(level: string): Logger {
  const out = pino.destination({ dest: 1, sync: true });
  out.on('error', () => {});
  return pino({ level, base: { service: 'parley' } }, out);
}

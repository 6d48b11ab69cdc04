/**
 * Caps on open TCP connections, in all and per remote address (PARLEY_MAX_CONNECTIONS,
 * PARLEY_MAX_CONNECTIONS_PER_IP). Every accepted socket is counted until it closes; one past a
 * cap is marked with the reason it is refused, which the gateway answers (HTTP 503, or a close
 * with the reason for a WebSocket upgrade). Half-sent requests are bounded in time by the HTTP
 * server's headersTimeout, so a refused socket is held for seconds at most.
 */
import type { Socket } from 'node:net';

const REFUSED = Symbol('parley.refused');
type Counted = Socket & { [REFUSED]?: string };

export class ConnectionLimits {
  private open = 0;
  /** Remote address -> open sockets (addresses are chosen by the peer: a Map). */
  private readonly perIp = new Map<string, number>();
  /** Sockets refused since start (for metrics and tests). */
  refused = 0;

  constructor(
    private readonly max: number,
    private readonly maxPerIp: number,
  ) {}

  get connections(): number {
    return this.open;
  }

  /** Counts a new socket until it closes; marks it refused when it is past a cap. */
  track(socket: Socket): void {
    const ip = socket.remoteAddress ?? '';
    const fromIp = (this.perIp.get(ip) ?? 0) + 1;
    this.open++;
    this.perIp.set(ip, fromIp);
    socket.once('close', () => {
      this.open--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    let reason: string | undefined;
    if (this.max > 0 && this.open > this.max)
      reason = `too many connections: the limit is ${this.max} (PARLEY_MAX_CONNECTIONS)`;
    else if (this.maxPerIp > 0 && fromIp > this.maxPerIp)
      reason = `too many connections from this address: the limit is ${this.maxPerIp} (PARLEY_MAX_CONNECTIONS_PER_IP)`;
    if (reason === undefined) return;
    (socket as Counted)[REFUSED] = reason;
    this.refused++;
  }

  /** Why this socket is refused, or undefined when it is within the caps. */
  refusal(socket: Socket): string | undefined {
    return (socket as Counted)[REFUSED];
  }
}

/**
 * Caps on open TCP connections, in all and per remote address (PARLEY_MAX_CONNECTIONS,
 * PARLEY_MAX_CONNECTIONS_PER_IP). Every accepted socket is counted until it closes; one past a
 * cap is marked with the reason it is refused, which the gateway answers (HTTP 503, or a close
 * with the reason for a WebSocket upgrade). Half-sent requests are bounded in time by the HTTP
 * server's headersTimeout, so a refused socket is held for seconds at most.
 */
import type { Socket } from 'node:net';

const REFUSED = Symbol('parley.refused');
const FROM = Symbol('parley.from');
/** The open sockets of one remote address (one object per address, shared by its sockets). */
interface Address {
  readonly ip: string;
  open: number;
}
type Counted = Socket & { [REFUSED]?: string; [FROM]?: Address };

export class ConnectionLimits {
  private open = 0;
  /** Remote address -> its open sockets (addresses are chosen by the peer: a Map). */
  private readonly perIp = new Map<string, Address>();
  /** Sockets refused since start (for metrics and tests). */
  refused = 0;
  /**
   * One close listener for every socket (called with the socket as `this`): no closure,
   * `once` wrapper or address string kept per connection (bench S5 counts those bytes).
   */
  private readonly onClose: (this: Counted) => void;

  constructor(
    private readonly max: number,
    private readonly maxPerIp: number,
  ) {
    const closed = (socket: Counted) => this.closed(socket);
    this.onClose = function (this: Counted) {
      closed(this);
    };
  }

  get connections(): number {
    return this.open;
  }

  /** Counts a new socket until it closes; marks it refused when it is past a cap. */
  track(socket: Socket): void {
    this.open++;
    socket.on('close', this.onClose);
    let reason: string | undefined;
    if (this.max > 0 && this.open > this.max)
      reason = `too many connections: the limit is ${this.max} (PARLEY_MAX_CONNECTIONS)`;
    else if (this.maxPerIp > 0) {
      // Only with a per-address cap: reading the address makes Node keep it on the socket.
      const ip = socket.remoteAddress ?? '';
      let from = this.perIp.get(ip);
      if (!from) this.perIp.set(ip, (from = { ip, open: 0 }));
      from.open++;
      (socket as Counted)[FROM] = from;
      if (from.open > this.maxPerIp)
        reason = `too many connections from this address: the limit is ${this.maxPerIp} (PARLEY_MAX_CONNECTIONS_PER_IP)`;
    }
    if (reason === undefined) return;
    (socket as Counted)[REFUSED] = reason;
    this.refused++;
  }

  /**
   * The socket became a WebSocket, whose close the gateway reports (`closed`): the listener
   * comes off, since `ws` adds its own and two listeners of one event make an array on the
   * socket (≈ 60 B per connection in bench S5).
   */
  handOver(socket: Socket): void {
    socket.removeListener('close', this.onClose);
  }

  /** A socket handed over (see `handOver`) closed. */
  closed(socket: Counted): void {
    this.open--;
    const from = socket[FROM];
    if (!from) return;
    socket[FROM] = undefined;
    if (--from.open === 0) this.perIp.delete(from.ip);
  }

  /** Why this socket is refused, or undefined when it is within the caps. */
  refusal(socket: Socket): string | undefined {
    return (socket as Counted)[REFUSED];
  }
}

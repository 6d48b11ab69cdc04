/**
 * A TCP proxy in front of a server; `cut()` drops every connection and refuses new ones. It
 * also keeps a server's address across a restart: the new server listens on a port of its
 * own (port 0) and `retarget` points the proxy there, so no test waits to reuse a port.
 */
import net from 'node:net';

export class CutProxy {
  private readonly sockets = new Set<net.Socket>();
  private blocked = false;
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private targetPort: number,
  ) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(targetPort: number): Promise<CutProxy> {
    const state = { proxy: undefined as unknown as CutProxy };
    const server = net.createServer((inbound) => {
      const proxy = state.proxy;
      if (proxy.blocked) {
        inbound.destroy();
        return;
      }
      const outbound = net.connect(proxy.targetPort, '127.0.0.1');
      proxy.sockets.add(inbound).add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const done = () => {
        inbound.destroy();
        outbound.destroy();
        proxy.sockets.delete(inbound);
        proxy.sockets.delete(outbound);
      };
      inbound.on('error', done).on('close', done);
      outbound.on('error', done).on('close', done);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    state.proxy = new CutProxy(server, (server.address() as net.AddressInfo).port, targetPort);
    return state.proxy;
  }

  cut(): void {
    this.blocked = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.blocked = false;
  }

  /** New connections go to `targetPort` from now on (open ones stay where they are). */
  retarget(targetPort: number): void {
    this.targetPort = targetPort;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

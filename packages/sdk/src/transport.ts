/**
 * The socket seam. Core code never imports Node APIs: in browsers the global WebSocket is
 * used; in Node, `transport-node.ts` installs the `ws` package through `setDefaultTransport`.
 */
/** `readyState` of an open socket (`WebSocket.OPEN`, the same in browsers and in `ws`). */
export const OPEN = 1;

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type Transport = (url: string, protocol: string) => SocketLike;

let defaultTransport: Transport | undefined;

export function setDefaultTransport(t: Transport): void {
  defaultTransport = t;
}

export function getTransport(): Transport {
  if (defaultTransport) return defaultTransport;
  const WS = (globalThis as { WebSocket?: new (url: string, protocol: string) => SocketLike })
    .WebSocket;
  if (!WS) throw new Error('No WebSocket available: import @parley/sdk in Node >= 20 or a browser');
  return (url, protocol) => new WS(url, protocol);
}

/** Turns a server base URL (ws, wss, http, https) into the WebSocket endpoint. */
export function socketUrl(base: string): string {
  const u = base.replace(/^http(s?):\/\//i, 'ws$1://');
  return u.endsWith('/') ? u : u + '/';
}

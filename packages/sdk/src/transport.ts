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

/**
 * What the SDK's own transports (the global WebSocket, `ws` in Node) take: subprotocols best
 * first, and the socket tells which one the server picked (for the early login).
 */
export type BuiltinTransport = (
  url: string,
  protocols: string[],
) => SocketLike & { protocol: string };

let defaultTransport: Transport | undefined;
let builtin: BuiltinTransport | undefined;

export function setDefaultTransport(t: Transport): void {
  defaultTransport = t;
}

/** Installs the platform's transport (transport-node.ts); a default set by the app wins. */
export function setBuiltinTransport(t: BuiltinTransport): void {
  builtin = t;
}

/** The built-in transport, unless the app set one of its own (which takes one subprotocol). */
export function builtinTransport(): BuiltinTransport | undefined {
  if (defaultTransport) return undefined;
  if (builtin) return builtin;
  const WS = (
    globalThis as {
      WebSocket?: new (url: string, protocols: string[]) => SocketLike & { protocol: string };
    }
  ).WebSocket;
  return WS ? (url, protocols) => new WS(url, protocols) : undefined;
}

export function getTransport(): Transport {
  if (defaultTransport) return defaultTransport;
  const t = builtinTransport();
  if (!t) throw new Error('No WebSocket available: import @parley/sdk in Node >= 20 or a browser');
  return (url, protocol) => t(url, [protocol]);
}

/** Turns a server base URL (ws, wss, http, https) into the WebSocket endpoint. */
export function socketUrl(base: string): string {
  const u = base.replace(/^http(s?):\/\//i, 'ws$1://');
  return u.endsWith('/') ? u : u + '/';
}

/**
 * The options of what a client may hold of a node: HTTP timeouts, connection caps and the
 * per-socket write buffer (part of options.ts's table).
 */
import { int, o, type Option } from './option-parsers.js';

type LimitKey =
  | 'headersTimeoutMs'
  | 'requestTimeoutMs'
  | 'maxConnections'
  | 'maxConnectionsPerIp'
  | 'maxSocketBufferBytes';

export const LIMIT_OPTIONS: { readonly [K in LimitKey]-?: Option<K> } = {
  headersTimeoutMs: o(
    'headersTimeoutMs',
    'PARLEY_HEADERS_TIMEOUT_MS',
    '--headers-timeout-ms',
    int,
    "an HTTP request's headers must have arrived by then (408 and close otherwise)",
  ),
  requestTimeoutMs: o(
    'requestTimeoutMs',
    'PARLEY_REQUEST_TIMEOUT_MS',
    '--request-timeout-ms',
    int,
    'a whole HTTP request (headers and body) must have arrived by then; at least the headers timeout',
  ),
  maxConnections: o(
    'maxConnections',
    'PARLEY_MAX_CONNECTIONS',
    '--max-connections',
    int,
    'open TCP connections of the node; past it HTTP gets 503 and a WebSocket close 1013 with the reason (0 = no cap)',
  ),
  maxConnectionsPerIp: o(
    'maxConnectionsPerIp',
    'PARLEY_MAX_CONNECTIONS_PER_IP',
    '--max-connections-per-ip',
    int,
    'open TCP connections from one remote address (behind a proxy: all of them); answered as above (0 = no cap)',
  ),
  maxSocketBufferBytes: o(
    'maxSocketBufferBytes',
    'PARLEY_MAX_SOCKET_BUFFER_BYTES',
    '--max-socket-buffer-bytes',
    int,
    'bytes waiting to be written to one socket; past it the session is closed with 4413 (a drop: it may resume)',
  ),
};

/** Node transport: the `ws` package. The only SDK file that may import Node-only modules. */
import WebSocket from 'ws';
import { setDefaultTransport, type SocketLike } from './transport.js';

setDefaultTransport(
  (url, protocol) =>
    new WebSocket(url, protocol, { perMessageDeflate: false }) as unknown as SocketLike,
);

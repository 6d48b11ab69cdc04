/** Node transport: the `ws` package. The only SDK file that may import Node-only modules. */
import WebSocket from 'ws';
import { setBuiltinTransport, type SocketLike } from './transport.js';

setBuiltinTransport(
  (url, protocols) =>
    new WebSocket(url, protocols, { perMessageDeflate: false }) as unknown as SocketLike & {
      protocol: string;
    },
);

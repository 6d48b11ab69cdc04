/**
 * The options of running the server as a service: TLS, the browser origins allowed to connect
 * and the config file (part of options.ts's table).
 */
import { o, optionalText, splitList, type Option, type Parser } from './option-parsers.js';

/** `https://app.example.com,http://localhost:5173`: each an origin, as browsers send it. */
const origins: Parser<string[]> = (raw, name) =>
  splitList(raw).map((entry) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`${name}: "${entry}" is not an origin like https://app.example.com`);
    }
    if (url.origin === 'null' || url.origin !== entry.replace(/\/$/, ''))
      throw new Error(
        `${name}: "${entry}" is not an origin (scheme://host[:port], no path), e.g. ${url.origin}`,
      );
    return url.origin;
  });

type OpsKey = 'tlsCert' | 'tlsKey' | 'allowedOrigins' | 'configFile';

export const OPS_OPTIONS: { readonly [K in OpsKey]-?: Option<K> } = {
  tlsCert: o(
    'tlsCert',
    'PARLEY_TLS_CERT',
    '--tls-cert',
    optionalText,
    'PEM certificate (chain) file; with --tls-key the server speaks https and wss itself',
  ),
  tlsKey: o(
    'tlsKey',
    'PARLEY_TLS_KEY',
    '--tls-key',
    optionalText,
    'PEM private key file of --tls-cert',
  ),
  allowedOrigins: o(
    'allowedOrigins',
    'PARLEY_ALLOWED_ORIGINS',
    '--allowed-origins',
    origins,
    'comma list of browser origins allowed to open a WebSocket (others get HTTP 403); empty = any',
  ),
  configFile: o(
    'configFile',
    'PARLEY_CONFIG',
    '--config',
    optionalText,
    'JSON file of options by flag name without dashes ({"port": 8080, "data-dir": "/var/lib/parley"}); env vars and flags win over it',
  ),
};

/** SDK clients of a test server, with fast reconnects. */
import AgoraRTM, { type RtmClient, type RtmConfig } from '@parley/sdk';
import { APP } from './test-server.js';

/** An SDK client of `server`: a running server, a URL, or a list of URLs tried in order. */
export function client(
  server: { url: string } | string | string[],
  config: RtmConfig = {},
  appId = APP,
): RtmClient {
  const serverUrl = typeof server === 'string' || Array.isArray(server) ? server : server.url;
  return AgoraRTM.createInstance(appId, {
    serverUrl,
    reconnectBaseDelayMs: 50,
    reconnectMaxDelayMs: 300,
    ...config,
  });
}

export async function loggedIn(
  server: { url: string } | string,
  uid: string,
  config: RtmConfig = {},
): Promise<RtmClient> {
  const c = client(server, config);
  await c.login({ uid });
  return c;
}

/** Records a client's ConnectionStateChanged events as "STATE/REASON". */
export function recordStates(c: RtmClient): string[] {
  const seen: string[] = [];
  c.on('ConnectionStateChanged', (s, r) => seen.push(`${s}/${r}`));
  return seen;
}

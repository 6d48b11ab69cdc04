/**
 * The page's one door to the SDK. The page is written against agora-rtm-sdk 1.6.0's own
 * declarations, as any RTM app would be, and runs on Parley's ESM bundle: `createInstance`
 * without `serverUrl` connects to the server that served the page.
 */
import AgoraRTM from '@parley/sdk';
import type {
  LocalInvitation,
  RemoteInvitation,
  RtmChannel,
  RtmClient,
  RtmMessage,
  RtmStatusCode,
} from 'agora-rtm-sdk';

export type { LocalInvitation, RemoteInvitation, RtmChannel, RtmClient, RtmMessage };
/** The enums' values as plain string unions, so the page can spell them as literals. */
export type ConnectionState = `${RtmStatusCode.ConnectionState}`;
export type PeerOnlineState = `${RtmStatusCode.PeerOnlineState}`;

export function createClient(appId: string): RtmClient {
  // Parley's RtmClient is assignable to agora-rtm-sdk's (packages/sdk/test/compat checks it).
  return AgoraRTM.createInstance(appId);
}

/** A readable line for a rejected SDK call: the SDK's message and its RTM error code. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'number' ? `${err.message} (code ${code})` : err.message;
  }
  return String(err);
}

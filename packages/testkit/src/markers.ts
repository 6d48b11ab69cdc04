/**
 * Markers: to show that something did NOT arrive, send a later message down the same path and
 * wait for it. The server writes a socket's frames in order, so once the marker is in,
 * whatever the server pushed to that client before it is in too: no "wait, then look".
 */
import type { RtmChannel, RtmClient, RtmMessage } from '@parley/sdk';

let count = 0;

/** A text no other marker of this process has. */
export function markerText(): string {
  return `marker-${process.pid}-${++count}`;
}

/** Whether a received message is a marker (for tests that record every message). */
export function isMarker(m: RtmMessage): boolean {
  return m.text?.startsWith('marker-') === true;
}

/** Sends a marker peer message from `from` to `to` (user `toUid`); resolves once it arrived. */
export async function peerMarker(
  from: RtmClient,
  to: RtmClient,
  toUid: string,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  const marker = arrival(`marker ${text} at ${toUid}`, timeoutMs);
  const onMessage = (m: RtmMessage) => m.text === text && marker.arrive();
  to.on('MessageFromPeer', onMessage);
  try {
    await from.sendMessageToPeer({ text }, toUid);
    await marker.arrived;
  } finally {
    marker.stop();
    to.off('MessageFromPeer', onMessage);
  }
}

/** Markers both ways between two clients: each has everything the server sent it before. */
export async function peerMarkers(
  a: RtmClient,
  aUid: string,
  b: RtmClient,
  bUid: string,
): Promise<void> {
  await Promise.all([peerMarker(a, b, bUid), peerMarker(b, a, aUid)]);
}

/** Sends a marker on `from` (a joined channel); resolves once `to` (the same channel) got it. */
export async function channelMarker(
  from: RtmChannel,
  to: RtmChannel,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  const marker = arrival(`channel marker ${text}`, timeoutMs);
  const onMessage = (m: RtmMessage) => m.text === text && marker.arrive();
  to.on('ChannelMessage', onMessage);
  try {
    await from.sendMessage({ text });
    await marker.arrived;
  } finally {
    marker.stop();
    to.off('ChannelMessage', onMessage);
  }
}

/** A wait for one marker: `arrive()` ends it; so does its deadline, with an error. */
export interface Arrival {
  arrived: Promise<void>;
  arrive: () => void;
  /** Ends the wait (its deadline too) once the caller is done, arrived or not. */
  stop: () => void;
}

/** A wait for a marker, woken by `arrive()` (no polling: a test may wait for 2,000 at once). */
export function arrival(what: string, timeoutMs: number): Arrival {
  let arrive!: () => void;
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    arrive = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  arrived.catch(() => undefined); // awaited by the caller unless its send failed first
  return { arrived, arrive, stop: () => clearTimeout(timer) };
}
